package io.annals.app.security;

import io.annals.command.api.common.Actor;
import graphql.GraphQLContext;

/** The authenticated principal of a GraphQL request, as the interceptor put it in the context. */
public final class Caller {

    static final String CONTEXT_KEY = "annals.principal";

    private Caller() {
    }

    /** The principal, or {@link UnauthenticatedException} naming what is missing. */
    public static Actor require(GraphQLContext context) {
        String principal = context.get(CONTEXT_KEY);
        if (principal == null) {
            throw new UnauthenticatedException("this operation needs an API token: send the header "
                    + "'Authorization: Bearer <token>' (over WebSocket, in the connection_init payload)");
        }
        return actor(principal);
    }

    /** How an authenticated principal is recorded as the actor of what it does. */
    public static Actor actor(String principal) {
        return Actor.user(principal);
    }

    /** The principal, if it is one of the administrators; otherwise a {@link SecurityException} saying so. */
    public static Actor requireAdmin(GraphQLContext context, java.util.Collection<String> admins) {
        Actor actor = require(context);
        String principal = context.get(CONTEXT_KEY);
        if (!admins.contains(principal)) {
            throw new SecurityException("principal '" + principal + "' is not an administrator "
                    + "(annals.security.admins)");
        }
        return actor;
    }

    public static final class UnauthenticatedException extends RuntimeException {
        public UnauthenticatedException(String message) {
            super(message);
        }
    }
}
