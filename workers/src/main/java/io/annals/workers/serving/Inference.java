package io.annals.workers.serving;

import io.annals.command.api.common.ScoreRecord;
import io.annals.command.api.trainingrun.Task;
import io.annals.workers.training.ModelMetadata;
import io.annals.workers.training.Predictions;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One prediction request of an endpoint, whichever API it came through (the JSON API, the Open Inference Protocol):
 * which version answers it, its predictions, and each score logged to {@code annals.scores}. A refusal is an
 * {@link Refused} with the HTTP status it means.
 */
public final class Inference {

    /** At most this many rows in one request. */
    public static final int MAX_ROWS = 10_000;

    /** Why a request cannot be answered: 400 (the request), 404 (no such endpoint or version), 503 (not ready). */
    public static final class Refused extends RuntimeException {
        private final int status;

        public Refused(int status, String message) {
            super(message, null, false, false); // an expected answer, not a fault: no stack to capture

            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * The version that answers, of the endpoint's current revision ({@code live}), and the routing key that chose
     * it (null for none), which also decides whether the request is mirrored to a shadow.
     */
    public record Chosen(String endpoint, int revision, ServingRegistry.Served served, ServingRegistry.Live live,
                         String routingKey) {

        public ModelMetadata metadata() {
            return served.model().metadata();
        }
    }

    /** What a request got: its id, who answered, the predictions, and the predicted class names (multi-class). */
    public record Answer(String requestId, Chosen chosen, Predictions predictions, List<String> predictedClasses) {
    }

    private final ServingRegistry registry;
    private final ScoreLog scores;
    private final ShadowTraffic shadows;
    private final ServingMetrics metrics;
    private final double featureSampleRate;

    /** {@code featureSampleRate}: the share of rows whose input features are logged with their score. */
    public Inference(ServingRegistry registry, ScoreLog scores, ShadowTraffic shadows, ServingMetrics metrics,
                     double featureSampleRate) {
        this.registry = registry;
        this.scores = scores;
        this.shadows = shadows;
        this.metrics = metrics;
        this.featureSampleRate = featureSampleRate;
    }

    /**
     * Records a request in the serving metrics: the endpoint its path named, the version that answered ({@code
     * chosen}, null when none was chosen), its HTTP status and its time.
     */
    public void record(ServingMetrics.Api api, String endpoint, Chosen chosen, int status, long nanos) {
        record(api, endpoint, chosen, status, nanos, 1);
    }

    /**
     * As {@link #record(ServingMetrics.Api, String, Chosen, int, long)}; a request a version was chosen for and that
     * failed is also logged to {@code annals.scores} as that version's failure of {@code rows} rows, so that the drift
     * monitor can watch the endpoint's error rate.
     */
    public void record(ServingMetrics.Api api, String endpoint, Chosen chosen, int status, long nanos, int rows) {
        metrics.request(api, endpoint, chosen != null || registry.knows(endpoint),
                chosen == null ? null : chosen.served().target(), status, nanos);
        if (chosen != null && status >= 400) {
            scores.log(ScoreRecord.failed(requestId(), chosen.endpoint(), chosen.served().target().model().value(),
                    chosen.served().target().version(), chosen.revision(), Instant.now(), status, rows));
        }
    }

    /** The endpoint's current revision, or {@link Refused} with 404 or 503 saying why not. */
    public ServingRegistry.Live live(String endpoint) {
        return registry.live(endpoint).orElseThrow(() -> new Refused(registry.knows(endpoint) ? 503 : 404,
                registry.unavailableReason(endpoint)));
    }

    /**
     * The version that answers: one picked by the revision's traffic shares, or, when {@code version} is given, that
     * version if the endpoint serves it.
     */
    public Chosen choose(String endpoint, Integer version) {
        return choose(endpoint, version, null);
    }

    /**
     * As {@link #choose(String, Integer)}, and with a routing key the same key always reaches the same version of a
     * split (a sticky split), for as long as the split stays as it is.
     */
    public Chosen choose(String endpoint, Integer version, String routingKey) {
        ServingRegistry.Live live = live(endpoint);
        if (routingKey != null && (routingKey.isEmpty() || routingKey.length() > 256)) {
            throw new Refused(400, "a routing key has 1 to 256 characters");
        }
        if (version == null) {
            return new Chosen(endpoint, live.revision(), live.pick(routingKey), live, routingKey);
        }
        return live.targets().stream().filter(t -> t.target().version() == version).findFirst()
                .map(t -> new Chosen(endpoint, live.revision(), t, live, routingKey))
                .orElseThrow(() -> new Refused(404, "endpoint '" + endpoint + "' does not serve version " + version
                        + " now; it serves " + live.targets().stream().map(t -> t.target().version()).toList()));
    }

    /**
     * A random (version 4) UUID for a request, drawn from the thread's own generator: {@code UUID.randomUUID()}
     * draws from one {@code SecureRandom} that every request thread would wait on. A request id names a request; it
     * is not a secret.
     */
    static String requestId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** Predicts raw rows (in the order of the chosen model's features) and logs every score. */
    public Answer predict(Chosen chosen, Object[][] rows) throws Exception {
        if (rows.length == 0) {
            throw new Refused(400, "the request has no rows");
        }
        if (rows.length > MAX_ROWS) {
            throw new Refused(400, "at most " + MAX_ROWS + " rows per request, got " + rows.length);
        }
        ModelMetadata metadata = chosen.metadata();
        Predictions predicted = chosen.served().model().predict(rows);
        metrics.rows(chosen.endpoint(), chosen.served().target(), rows.length);
        String requestId = requestId();
        Instant now = Instant.now();
        List<String> classes = metadata.task() == Task.MULTICLASS_CLASSIFICATION ? metadata.classes() : null;
        String[] predictedClasses = classes == null ? null : new String[rows.length];
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < rows.length; i++) {
            String predictedClass = classes == null ? null : classes.get(predicted.predicted()[i]);
            if (predictedClasses != null) {
                predictedClasses[i] = predictedClass;
            }
            boolean sampled = featureSampleRate >= 1
                    || (featureSampleRate > 0 && random.nextDouble() < featureSampleRate);
            scores.log(new ScoreRecord(requestId, chosen.endpoint(), chosen.served().target().model().value(),
                    chosen.served().target().version(), chosen.revision(), predicted.scores()[i], now,
                    predictedClass, false, null, sampled ? new RowFeatures(metadata.features(), rows[i]) : null));
        }
        for (ServingRegistry.Served shadow : chosen.live().shadows()) {
            if (chosen.live().mirrors(shadow, chosen.routingKey())) {
                shadows.mirror(new ShadowTraffic.Mirrored(requestId, chosen, shadow, rows, predicted,
                        predictedClasses, now));
            }
        }
        return new Answer(requestId, chosen, predicted, predictedClasses == null ? null : List.of(predictedClasses));
    }
}
