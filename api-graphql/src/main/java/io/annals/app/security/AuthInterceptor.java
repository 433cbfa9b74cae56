package io.annals.app.security;

import java.util.Map;
import java.util.Optional;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.WebSocketSessionInfo;
import reactor.core.publisher.Mono;

/**
 * Resolves the caller of every GraphQL request from its bearer token: the HTTP {@code Authorization} header, or
 * for subscriptions the {@code Authorization} entry of the graphql-transport-ws {@code connection_init} payload.
 * The principal goes into the GraphQL context; resolvers that change anything require it.
 */
public final class AuthInterceptor implements WebSocketGraphQlInterceptor {

    private static final String SESSION_PRINCIPAL = "annals.principal";

    private final TokenRegistry tokens;

    public AuthInterceptor(TokenRegistry tokens) {
        this.tokens = tokens;
    }

    @Override
    public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo session, Map<String, Object> payload) {
        Object header = payload == null ? null : payload.getOrDefault("Authorization", payload.get("authorization"));
        tokens.principal(header == null ? null : header.toString())
                .ifPresent(p -> session.getAttributes().put(SESSION_PRINCIPAL, p));
        return Mono.empty();
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        Optional<String> principal;
        if (request instanceof WebSocketGraphQlRequest ws) {
            principal = Optional.ofNullable((String) ws.getSessionInfo().getAttributes().get(SESSION_PRINCIPAL));
        } else {
            principal = tokens.principal(request.getHeaders().getFirst("Authorization"));
        }
        principal.ifPresent(p -> request.configureExecutionInput((input, builder) ->
                builder.graphQLContext(ctx -> ctx.put(Caller.CONTEXT_KEY, p)).build()));
        return chain.next(request);
    }
}
