package io.annals.app.security;

import graphql.GraphQLContext;
import io.annals.command.api.common.DomainException;
import java.util.Map;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.WebSocketSessionInfo;
import reactor.core.publisher.Mono;

/**
 * Resolves the caller of every GraphQL request from its bearer token: the HTTP {@code Authorization} header, or
 * for subscriptions the {@code Authorization} entry of the graphql-transport-ws {@code connection_init} payload.
 * The caller (or why its token was refused) goes into the GraphQL context, where
 * {@link AuthorizationInstrumentation} checks it against each field's rule.
 */
public final class AuthInterceptor implements WebSocketGraphQlInterceptor {

    private static final String SESSION_HEADER = "annals.authorization";
    private static final String REFUSAL = "annals.authentication-refused";
    private static final String UNAVAILABLE = "annals.authentication-unavailable";

    private final Authenticator authenticator;

    public AuthInterceptor(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** The caller in a request's context, or why there is none (its access could not be read: UNAVAILABLE). */
    static Caller caller(GraphQLContext context) {
        DomainException unavailable = context.get(UNAVAILABLE);
        if (unavailable != null) {
            throw unavailable;
        }
        String refusal = context.get(REFUSAL);
        if (refusal != null) {
            throw new Caller.UnauthenticatedException(refusal);
        }
        return Caller.of(context);
    }

    @Override
    public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo session, Map<String, Object> payload) {
        Object header = payload == null ? null : payload.getOrDefault("Authorization", payload.get("authorization"));
        if (header != null) {
            session.getAttributes().put(SESSION_HEADER, header.toString());
        }
        return Mono.empty();
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        Caller caller = null;
        String refusal = null;
        // a subscription is authenticated when it starts, from the token its connection was opened with, so a
        // token revoked since then cannot start another
        String header = request instanceof WebSocketGraphQlRequest ws
                ? (String) ws.getSessionInfo().getAttributes().get(SESSION_HEADER)
                : request.getHeaders().getFirst("Authorization");
        DomainException unavailable = null;
        try {
            caller = authenticator.authenticate(header).orElse(null);
        } catch (Caller.UnauthenticatedException e) {
            refusal = e.getMessage();
        } catch (DomainException e) {
            if (e.code() != DomainException.Code.UNAVAILABLE) {
                throw e;
            }
            unavailable = e;
        }
        Caller resolved = caller;
        String refused = refusal;
        DomainException outage = unavailable;
        request.configureExecutionInput((input, builder) -> builder.graphQLContext(ctx -> {
            if (resolved != null) {
                ctx.put(Caller.CONTEXT_KEY, resolved);
            }
            if (refused != null) {
                ctx.put(REFUSAL, refused);
            }
            if (outage != null) {
                ctx.put(UNAVAILABLE, outage);
            }
        }).build());
        return chain.next(request);
    }
}
