package io.annals.app.security;

import io.annals.command.api.access.AccessState;

/** A request its caller may not make: the message says who, which permission and on what. Nothing was recorded. */
public final class ForbiddenException extends RuntimeException {

    private final AccessState.Decision decision;

    public ForbiddenException(AccessState.Decision decision) {
        super(decision.reason());
        this.decision = decision;
    }

    public String permission() {
        return decision.permission().id();
    }

    public String resource() {
        return decision.resource();
    }
}
