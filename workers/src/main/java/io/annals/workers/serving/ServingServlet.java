package io.annals.workers.serving;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * The serving routes — the JSON API's {@code POST /v1/endpoints/{name}/predict} and the Open Inference Protocol under
 * {@code /v2} — in a servlet of their own beside Spring MVC's dispatcher, as inference servers keep their data plane
 * apart from their control plane. The filters in front of every route still run (the token check and access rules,
 * the request metrics, whose {@code uri} tag is the route's pattern); what a prediction no longer pays for is Spring
 * MVC's dispatch: matching the path against every handler of the application, invoking the handler reflectively, and
 * writing its answer through content negotiation and message converters. In a profile of single-row predictions at
 * 1,000 requests/s (ServingBenchmarkIT, JFR) that dispatch was 40% of the request threads' samples, and the
 * prediction itself (parse, predict, answer) 27%.
 *
 * <p>Everything under the servlet's mappings is answered here: a path no route has is 404, another method than the
 * route's 405 (with {@code Allow}); {@code HEAD} and {@code OPTIONS} are answered as a servlet does. Refusals and
 * failures take each API's error body: {@code {"error": …}} under {@code /v2}, {@code {"error", "message"}} on the
 * JSON API.
 */
public final class ServingServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(ServingServlet.class);

    /** The servlet's URL mappings. */
    public static final List<String> MAPPINGS = List.of("/v2", "/v2/*", "/v1/endpoints/*");

    /** The serving routes: a method and a path pattern, whose {@code {name}} and {@code {version}} match a segment. */
    enum Route {
        SERVER("GET", "/v2"),
        LIVE("GET", "/v2/health/live"),
        READY("GET", "/v2/health/ready"),
        MODEL("GET", "/v2/models/{name}"),
        MODEL_VERSION("GET", "/v2/models/{name}/versions/{version}"),
        MODEL_READY("GET", "/v2/models/{name}/ready"),
        MODEL_VERSION_READY("GET", "/v2/models/{name}/versions/{version}/ready"),
        INFER("POST", "/v2/models/{name}/infer"),
        INFER_VERSION("POST", "/v2/models/{name}/versions/{version}/infer"),
        PREDICT("POST", "/v1/endpoints/{name}/predict");

        final String method;
        final String pattern;
        private final String[] segments;

        Route(String method, String pattern) {
            this.method = method;
            this.pattern = pattern;
            this.segments = pattern.substring(1).split("/");
        }

        boolean v2() {
            return this != PREDICT;
        }

        String allow() {
            return method.equals("GET") ? "GET, HEAD, OPTIONS" : method + ", OPTIONS";
        }
    }

    /** A route and the values of its variables (null where the pattern has none). */
    record Match(Route route, String name, String version) {
    }

    private final PredictRoute predict;
    private final OpenInferenceRoutes v2;

    public ServingServlet(PredictRoute predict, OpenInferenceRoutes v2) {
        this.predict = predict;
        this.v2 = v2;
    }

    /**
     * The route a path (decoded, without the query) takes, whatever the method; null when none does. A variable
     * matches one non-empty segment; a trailing slash or an empty segment matches nothing, as in Spring MVC.
     */
    static Match match(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        String[] segments = path.substring(1).split("/", -1);
        for (Route route : Route.values()) {
            if (route.segments.length != segments.length) {
                continue;
            }
            String name = null;
            String version = null;
            boolean matches = true;
            for (int i = 0; i < segments.length && matches; i++) {
                String want = route.segments[i];
                String got = segments[i];
                if (want.equals("{name}")) {
                    name = got;
                    matches = !got.isEmpty();
                } else if (want.equals("{version}")) {
                    version = got;
                    matches = !got.isEmpty();
                } else {
                    matches = want.equals(got);
                }
            }
            if (matches) {
                return new Match(route, name, version);
            }
        }
        return null;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String pathInfo = request.getPathInfo();
        String path = pathInfo == null ? request.getServletPath() : request.getServletPath() + pathInfo;
        String method = request.getMethod();
        Match match = match(path);
        if (match == null) {
            write(response, refusal(path.startsWith("/v2"), 404, method + " " + path + " is not a route"), false);
            return;
        }
        Route route = match.route();
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(c -> c.setPathPattern(route.pattern));
        boolean head = method.equals("HEAD") && route.method.equals("GET");
        if (method.equals("OPTIONS")) {
            response.setHeader("Allow", route.allow());
            response.setStatus(HttpServletResponse.SC_OK);
            return;
        }
        if (!method.equals(route.method) && !head) {
            response.setHeader("Allow", route.allow());
            write(response, refusal(route.v2(), 405, method + " is not allowed on " + route.pattern + "; it takes "
                    + route.method), false);
            return;
        }
        write(response, answer(request, match), head);
    }

    private ServingReply answer(HttpServletRequest request, Match match) {
        Route route = match.route();
        try {
            if (route.method.equals("GET") && !acceptsJson(request.getHeader("Accept"))) {
                return refusal(route.v2(), 406, "this route answers application/json, which the Accept header ("
                        + request.getHeader("Accept") + ") does not take");
            }
            return switch (route) {
                case SERVER -> v2.server();
                case LIVE -> v2.health("live");
                case READY -> v2.health("ready");
                case MODEL, MODEL_VERSION -> v2.metadata(match.name(), match.version());
                case MODEL_READY, MODEL_VERSION_READY -> v2.modelReady(match.name(), match.version());
                case INFER, INFER_VERSION -> v2.infer(request, match.name(), match.version());
                case PREDICT -> predictJson(request, match.name());
            };
        } catch (RuntimeException e) {
            log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
            return refusal(route.v2(), 500, "the request failed (" + e.getClass().getSimpleName()
                    + "); the server's log has the details");
        }
    }

    /** The JSON API takes {@code application/json} and answers it. */
    private ServingReply predictJson(HttpServletRequest request, String name) {
        String type = request.getContentType();
        if (type == null || !baseType(type).equals(ServingReply.JSON_TYPE)) {
            return PredictRoute.error(415, "send the rows as " + ServingReply.JSON_TYPE
                    + (type == null ? " (the request has no Content-Type)" : ", not " + type));
        }
        if (!acceptsJson(request.getHeader("Accept"))) {
            return PredictRoute.error(406, "predict answers " + ServingReply.JSON_TYPE + ", which the Accept header ("
                    + request.getHeader("Accept") + ") does not take");
        }
        return predict.predict(request, name);
    }

    /** True for no {@code Accept} header or one that takes JSON ({@code application/json}, {@code application/*}, any). */
    static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            String type = baseType(range);
            if (type.equals(ServingReply.JSON_TYPE) || type.equals("*/*") || type.equals("application/*")) {
                return true;
            }
        }
        return false;
    }

    /** A media type without its parameters, trimmed and in lower case. */
    private static String baseType(String type) {
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static ServingReply refusal(boolean v2, int status, String message) {
        return v2 ? OpenInferenceRoutes.error(status, message) : PredictRoute.error(status, message);
    }

    private static void write(HttpServletResponse response, ServingReply reply, boolean head) throws IOException {
        response.setStatus(reply.status());
        response.setContentType(reply.contentType());
        if (reply.header() != null) {
            response.setHeader(reply.header(), reply.headerValue());
        }
        response.setContentLength(reply.body().length);
        if (!head) {
            response.getOutputStream().write(reply.body());
        }
    }
}
