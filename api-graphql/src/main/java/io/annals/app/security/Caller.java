package io.annals.app.security;

import graphql.GraphQLContext;
import io.annals.command.api.access.ApiTokenId;
import io.annals.command.api.access.Role;
import io.annals.command.api.common.Actor;
import java.util.Set;

/**
 * The authenticated caller of a request: the actor its events are recorded under, the roles it has outside the log
 * (configuration, sign-on claims), and how it proved who it is.
 *
 * @param via     {@code configuration}, {@code api-token} or {@code sign-on}
 * @param tokenId the API token used, when one was
 */
public record Caller(Actor actor, Set<Role> roles, String via, ApiTokenId tokenId) {

    static final String CONTEXT_KEY = "annals.caller";

    public Caller {
        roles = Set.copyOf(roles);
    }

    /** The caller of a GraphQL request, or {@link UnauthenticatedException} saying how to authenticate. */
    public static Caller of(GraphQLContext context) {
        Caller caller = context.get(CONTEXT_KEY);
        if (caller == null) {
            throw new UnauthenticatedException("this operation needs an API token: send the header "
                    + "'Authorization: Bearer <token>' (over WebSocket, in the connection_init payload)");
        }
        return caller;
    }

    /** The actor of a GraphQL request's caller: who what it does is recorded as. */
    public static Actor require(GraphQLContext context) {
        return of(context).actor();
    }

    /** No valid credentials: none sent, unknown, expired, revoked, or a sign-on token that does not verify. */
    public static final class UnauthenticatedException extends RuntimeException {
        public UnauthenticatedException(String message) {
            super(message);
        }
    }
}
