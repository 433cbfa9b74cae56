package io.annals.app.security;

import io.annals.command.api.access.AccessState;
import io.annals.command.api.access.Permission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decides whether a caller may do something, from its roles outside the log and its access stream. */
public final class AccessControl {

    private static final Logger log = LoggerFactory.getLogger(AccessControl.class);

    private final AccessDirectory directory;

    public AccessControl(AccessDirectory directory) {
        this.directory = directory;
    }

    public AccessState.Decision decide(Caller caller, Permission permission, String resource) {
        return directory.current(caller.actor()).decide(caller.roles(), permission, resource);
    }

    /** Goes on when allowed; otherwise one log line and {@link ForbiddenException}. */
    public void require(Caller caller, Permission permission, String resource, String request) {
        AccessState.Decision decision = decide(caller, permission, resource);
        if (!decision.allowed()) {
            log.info("Refused {}: {}", request, decision.reason());
            throw new ForbiddenException(decision);
        }
    }
}
