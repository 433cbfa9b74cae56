package io.annals.app.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.command.api.common.DomainException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The REST routes under {@code /v1/} (batch upload and download, model import, predict), {@code /v2} (the Open
 * Inference Protocol) and {@code /actuator/} need a bearer token, and the permission their row of {@link RequestRules} names on the resource in their path; a route with
 * no row is refused. 401 and 403 answer with {@code {"error", "message"}} (and the permission and resource).
 */
public final class BearerTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);

    public static final String PRINCIPAL_ATTRIBUTE = "annals.principal";
    /**
     * An orchestrator's probes (Kubernetes, a load balancer) send no token: these two answer UP or DOWN and nothing
     * else (their groups show no details); the full health, with each component's details, needs a token.
     */
    public static final Set<String> PROBES = Set.of("/actuator/health/liveness", "/actuator/health/readiness");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Authenticator authenticator;
    private final AccessControl access;

    public BearerTokenFilter(Authenticator authenticator, AccessControl access) {
        this.authenticator = authenticator;
        this.access = access;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.startsWith("/v1/") && !path.startsWith("/v2") && !path.startsWith("/actuator/")
                || PROBES.contains(path) && "GET".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Caller caller;
        try {
            caller = authenticator.authenticate(request.getHeader("Authorization")).orElseThrow(() ->
                    new Caller.UnauthenticatedException("send the header 'Authorization: Bearer <token>'"));
        } catch (Caller.UnauthenticatedException e) {
            response.setHeader("WWW-Authenticate", "Bearer");
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "UNAUTHORIZED", e.getMessage(), null);
            return;
        } catch (DomainException e) {
            unavailable(response, e);
            return;
        }
        String where = request.getMethod() + " " + request.getRequestURI();
        var route = RequestRules.rest(request.getMethod(), request.getRequestURI());
        if (route.isEmpty()) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "FORBIDDEN", where
                    + " has no access rule, so no one may call it", null);
            return;
        }
        try {
            access.require(caller, route.get().getKey().permission(), route.get().getValue(), where);
        } catch (ForbiddenException e) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "FORBIDDEN", e.getMessage(), e);
            return;
        } catch (DomainException e) {
            unavailable(response, e);
            return;
        }
        request.setAttribute(PRINCIPAL_ATTRIBUTE, caller.actor());
        chain.doFilter(request, response);
    }

    /** The caller's access could not be read (no command process answers): 503, not a stack trace. */
    private static void unavailable(HttpServletResponse response, DomainException e) throws IOException {
        if (e.code() != DomainException.Code.UNAVAILABLE) {
            throw e;
        }
        log.warn("Refused a request: {}", e.getMessage());
        refuse(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "UNAVAILABLE", e.getMessage(), null);
    }

    private static void refuse(HttpServletResponse response, int status, String error, String message,
                               ForbiddenException forbidden) throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        Optional.ofNullable(forbidden).ifPresent(f -> {
            body.put("permission", f.permission());
            body.put("resource", f.resource());
        });
        response.setStatus(status);
        response.setContentType("application/json");
        response.getWriter().write(JSON.writeValueAsString(body));
    }
}
