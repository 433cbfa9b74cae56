package io.annals.workers.serving;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving routes — the JSON API's {@code POST /v1/endpoints/{name}/predict} and the Open Inference Protocol under
 * {@code /v2} — and how a request reaches one, for both servers that take them ({@link ServingServlet} on the main
 * port, {@link DataPlaneServer} on the data plane's): a path no route has is 404, another method than the route's 405
 * (with {@code Allow}); {@code HEAD} and {@code OPTIONS} are answered as a servlet does. Refusals and failures take
 * each API's error body: {@code {"error": …}} under {@code /v2}, {@code {"error", "message"}} on the JSON API.
 */
public final class ServingRoutes {

    private static final Logger log = LoggerFactory.getLogger(ServingRoutes.class);

    /** The routes: a method and a path pattern, whose {@code {name}} and {@code {version}} match a segment. */
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

    /**
     * What to send back: the reply, the route's pattern (null when no route matched; the request metrics' {@code uri}),
     * the {@code Allow} header (or null), and whether the body is left out ({@code HEAD}).
     */
    record Answer(ServingReply reply, String pattern, String allow, boolean head) {
    }

    private final PredictRoute predict;
    private final OpenInferenceRoutes v2;

    /** The routes of both APIs over {@code inference}, each refusing a body over {@code maxBodyBytes} (413). */
    public ServingRoutes(Inference inference, int maxBodyBytes) {
        this.predict = new PredictRoute(inference, maxBodyBytes);
        this.v2 = new OpenInferenceRoutes(inference, maxBodyBytes);
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

    /** Answers a request, whatever its path and method. */
    Answer handle(ServingCall call) {
        String path = call.path();
        String method = call.method();
        Match match = match(path);
        if (match == null) {
            return new Answer(refusal(path.startsWith("/v2"), 404, method + " " + path + " is not a route"), null,
                    null, false);
        }
        Route route = match.route();
        boolean head = method.equals("HEAD") && route.method.equals("GET");
        if (method.equals("OPTIONS")) {
            return new Answer(new ServingReply(200, null, new byte[0], null, null), route.pattern, route.allow(),
                    false);
        }
        if (!method.equals(route.method) && !head) {
            return new Answer(refusal(route.v2(), 405, method + " is not allowed on " + route.pattern + "; it takes "
                    + route.method), route.pattern, route.allow(), false);
        }
        return new Answer(answer(call, match), route.pattern, null, head);
    }

    private ServingReply answer(ServingCall call, Match match) {
        Route route = match.route();
        try {
            if (route.method.equals("GET") && !acceptsJson(call.header("Accept"))) {
                return refusal(route.v2(), 406, "this route answers application/json, which the Accept header ("
                        + call.header("Accept") + ") does not take");
            }
            return switch (route) {
                case SERVER -> v2.server();
                case LIVE -> v2.health("live");
                case READY -> v2.health("ready");
                case MODEL, MODEL_VERSION -> v2.metadata(match.name(), match.version());
                case MODEL_READY, MODEL_VERSION_READY -> v2.modelReady(match.name(), match.version());
                case INFER, INFER_VERSION -> v2.infer(call, match.name(), match.version());
                case PREDICT -> predictJson(call, match.name());
            };
        } catch (RuntimeException e) {
            log.error("{} {} failed", call.method(), call.path(), e);
            return refusal(route.v2(), 500, "the request failed (" + e.getClass().getSimpleName()
                    + "); the server's log has the details");
        }
    }

    /** The JSON API takes {@code application/json} and answers it. */
    private ServingReply predictJson(ServingCall call, String name) {
        String type = call.header("Content-Type");
        if (type == null || !baseType(type).equals(ServingReply.JSON_TYPE)) {
            return PredictRoute.error(415, "send the rows as " + ServingReply.JSON_TYPE
                    + (type == null ? " (the request has no Content-Type)" : ", not " + type));
        }
        if (!acceptsJson(call.header("Accept"))) {
            return PredictRoute.error(406, "predict answers " + ServingReply.JSON_TYPE + ", which the Accept header ("
                    + call.header("Accept") + ") does not take");
        }
        return predict.predict(call, name);
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

    /** The refusal of a request in the error body of the API its path belongs to. */
    static ServingReply refusal(boolean v2, int status, String message) {
        return v2 ? OpenInferenceRoutes.error(status, message) : PredictRoute.error(status, message);
    }
}
