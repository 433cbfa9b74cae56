package io.annals.workers.serving;

import io.annals.command.api.endpoint.ServingTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The serving role's meters (Micrometer; Prometheus names in the README): each prediction request by API, endpoint,
 * model, version and outcome with a latency histogram, rows predicted, model loads, and the shadows' work. Meters
 * are registered once per combination of tags and looked up without allocating tags on the request path. A request
 * to an endpoint this server does not know is counted under {@code endpoint="(unknown)"}, so that made-up names
 * cannot create meters without bound.
 */
public final class ServingMetrics {

    /** Which API a request came through. */
    public enum Api {
        JSON("json"), V2("v2");

        private final String tag;

        Api(String tag) {
            this.tag = tag;
        }
    }

    /** How a request ended: answered, refused for its content (4xx), or not answerable (5xx). */
    public enum Outcome {
        OK("ok"), CLIENT_ERROR("client_error"), SERVER_ERROR("server_error");

        private final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }

        public static Outcome of(int status) {
            return status < 400 ? OK : status < 500 ? CLIENT_ERROR : SERVER_ERROR;
        }
    }

    static final String UNKNOWN_ENDPOINT = "(unknown)";
    private static final String NONE = "";

    private record RequestKey(Api api, String endpoint, String model, int version, Outcome outcome) {
    }

    private record TargetKey(String endpoint, String model, int version) {
    }

    private final MeterRegistry registry;
    private final Map<RequestKey, Timer> requests = new ConcurrentHashMap<>();
    private final Map<TargetKey, Counter> rows = new ConcurrentHashMap<>();
    private final Map<TargetKey, Timer> shadowPredictions = new ConcurrentHashMap<>();
    private final Map<TargetKey, Counter> shadowFailures = new ConcurrentHashMap<>();
    private final Map<String, Counter> shadowSkips = new ConcurrentHashMap<>();

    public ServingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * The meter of a key, registered on first use. A plain read first: {@code computeIfAbsent} may lock the key's bin
     * even when the meter is there, and request threads must not wait on each other for it.
     */
    private static <K, M> M meter(Map<K, M> meters, K key, Function<K, M> register) {
        M meter = meters.get(key);
        return meter != null ? meter : meters.computeIfAbsent(key, register);
    }

    /**
     * Records one request: {@code endpoint} as the path named it, known or not ({@code knownEndpoint}),
     * {@code target} the version that answered (null when none was chosen), and how long it took.
     */
    public void request(Api api, String endpoint, boolean knownEndpoint, ServingTarget target, int status,
                        long nanos) {
        RequestKey key = new RequestKey(api, knownEndpoint ? endpoint : UNKNOWN_ENDPOINT,
                target == null ? NONE : target.model().value(), target == null ? 0 : target.version(),
                Outcome.of(status));
        meter(requests, key, k -> Timer.builder("annals.predict.requests")
                .description("Prediction requests by API, endpoint, model version and outcome")
                .tag("api", k.api().tag).tag("endpoint", k.endpoint()).tag("model", k.model())
                .tag("version", k.version() == 0 ? NONE : Integer.toString(k.version()))
                .tag("outcome", k.outcome().tag)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Rows answered by a version of an endpoint. */
    public void rows(String endpoint, ServingTarget target, int count) {
        meter(rows, new TargetKey(endpoint, target.model().value(), target.version()),
                k -> Counter.builder("annals.predict.rows").description("Rows predicted, by endpoint and version")
                        .tags("endpoint", k.endpoint(), "model", k.model(), "version", Integer.toString(k.version()))
                        .register(registry)).increment(count);
    }

    /** A model version loaded for serving (downloaded, verified, loaded into its engine). */
    public void modelLoaded(ServingTarget target, long nanos) {
        Timer.builder("annals.model.load").description("Time to download, verify and load a model version")
                .tags("model", target.model().value(), "version", Integer.toString(target.version()),
                        "kind", target.imported() == null ? "trained" : "imported")
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    void shadowPredicted(String endpoint, ServingTarget shadow, long nanos) {
        meter(shadowPredictions, new TargetKey(endpoint, shadow.model().value(), shadow.version()),
                k -> Timer.builder("annals.shadow.predictions")
                        .description("Mirrored requests predicted by a shadow version")
                        .tags("endpoint", k.endpoint(), "model", k.model(), "version", Integer.toString(k.version()))
                        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    void shadowFailed(String endpoint, ServingTarget shadow) {
        meter(shadowFailures, new TargetKey(endpoint, shadow.model().value(), shadow.version()),
                k -> Counter.builder("annals.shadow.failures").description("Mirrored requests a shadow failed")
                        .tags("endpoint", k.endpoint(), "model", k.model(), "version", Integer.toString(k.version()))
                        .register(registry)).increment();
    }

    void shadowSkipped(String endpoint) {
        meter(shadowSkips, endpoint, e -> Counter.builder("annals.shadow.skipped")
                .description("Requests not mirrored because the shadow queue was full")
                .tag("endpoint", e).register(registry)).increment();
    }
}
