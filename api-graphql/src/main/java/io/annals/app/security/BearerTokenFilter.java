package io.annals.app.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;

/** The REST endpoints under {@code /v1/} (predict, batch upload) and {@code /actuator/} require a bearer token. */
public final class BearerTokenFilter extends OncePerRequestFilter {

    public static final String PRINCIPAL_ATTRIBUTE = "annals.principal";

    private final TokenRegistry tokens;

    public BearerTokenFilter(TokenRegistry tokens) {
        this.tokens = tokens;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/v1/") && !request.getRequestURI().startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> principal = tokens.principal(request.getHeader("Authorization"));
        if (principal.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Bearer");
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"UNAUTHORIZED\",\"message\":\"send the header "
                    + "'Authorization: Bearer <token>'\"}");
            return;
        }
        request.setAttribute(PRINCIPAL_ATTRIBUTE, Caller.actor(principal.get()));
        chain.doFilter(request, response);
    }
}
