package io.annals.app.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.command.api.common.DomainException;
import io.annals.workers.serving.DataPlaneServer;
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
 * no row is refused. 401 and 403 answer with {@code {"error", "message"}} (and the permission and resource). The
 * data plane's own port ({@link DataPlaneServer}) makes the same check through {@link #admit}.
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
        Decision decision = decide(request.getMethod(), request.getRequestURI(), request.getHeader("Authorization"));
        if (decision.caller() == null) {
            if (decision.status() == HttpServletResponse.SC_UNAUTHORIZED) {
                response.setHeader("WWW-Authenticate", "Bearer");
            }
            response.setStatus(decision.status());
            response.setContentType("application/json");
            response.getOutputStream().write(decision.body());
            return;
        }
        request.setAttribute(PRINCIPAL_ATTRIBUTE, decision.caller().actor());
        chain.doFilter(request, response);
    }

    /**
     * The same check for the data plane's own port ({@link DataPlaneServer}): empty when the request may go on,
     * else the same refusal this filter answers.
     */
    public Optional<DataPlaneServer.Refusal> admit(String method, String path, String authorization) {
        Decision decision = decide(method, path, authorization);
        return decision.caller() != null ? Optional.empty() : Optional.of(new DataPlaneServer.Refusal(
                decision.status(), decision.status() == HttpServletResponse.SC_UNAUTHORIZED ? "Bearer" : null,
                decision.body()));
    }

    /** The caller a request may go on as, or (caller null) the status and JSON body that refuse it. */
    private record Decision(Caller caller, int status, byte[] body) {
    }

    private Decision decide(String method, String path, String authorization) {
        Caller caller;
        try {
            caller = authenticator.authenticate(authorization).orElseThrow(() ->
                    new Caller.UnauthenticatedException("send the header 'Authorization: Bearer <token>'"));
        } catch (Caller.UnauthenticatedException e) {
            return refusal(HttpServletResponse.SC_UNAUTHORIZED, "UNAUTHORIZED", e.getMessage(), null);
        } catch (DomainException e) {
            return unavailable(e);
        }
        String where = method + " " + path;
        var route = RequestRules.rest(method, path);
        if (route.isEmpty()) {
            return refusal(HttpServletResponse.SC_FORBIDDEN, "FORBIDDEN", where
                    + " has no access rule, so no one may call it", null);
        }
        try {
            access.require(caller, route.get().getKey().permission(), route.get().getValue(), where);
        } catch (ForbiddenException e) {
            return refusal(HttpServletResponse.SC_FORBIDDEN, "FORBIDDEN", e.getMessage(), e);
        } catch (DomainException e) {
            return unavailable(e);
        }
        return new Decision(caller, HttpServletResponse.SC_OK, null);
    }

    /** The caller's access could not be read (no command process answers): 503, not a stack trace. */
    private static Decision unavailable(DomainException e) {
        if (e.code() != DomainException.Code.UNAVAILABLE) {
            throw e;
        }
        log.warn("Refused a request: {}", e.getMessage());
        return refusal(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "UNAVAILABLE", e.getMessage(), null);
    }

    private static Decision refusal(int status, String error, String message, ForbiddenException forbidden) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        Optional.ofNullable(forbidden).ifPresent(f -> {
            body.put("permission", f.permission());
            body.put("resource", f.resource());
        });
        try {
            return new Decision(null, status, JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a refusal could not be written as JSON", e);
        }
    }
}
