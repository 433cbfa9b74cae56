package io.annals.workers.drift;

import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.common.ScoreRecord;
import io.annals.command.api.drift.DriftAlertId;
import io.annals.command.api.drift.DriftAlertRaised;
import io.annals.command.api.drift.DriftAlertResolved;
import io.annals.command.api.drift.RaiseDriftAlert;
import io.annals.command.api.endpoint.DriftMonitorConfigured;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.endpoint.RecordShadowComparison;
import io.annals.command.api.endpoint.ShadowComparison;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionRef;
import io.annals.command.api.model.ModelVersionEvaluated;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.trainingrun.Task;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drift monitor's decisions, without Kafka: it learns each version's validation baseline, each endpoint's
 * settings and which alerts are open from the event log, groups live scores per endpoint and model version into
 * tumbling windows of the endpoint's window size, and when a full window's PSI exceeds the endpoint's threshold
 * decides to raise an alert, unless one is already open for that endpoint and version. Shadow scores take part like
 * any other (their version has its own windows), and {@link #compare} also sums each shadow version's scores against
 * the answers they shadowed, in windows of the same size. Not thread-safe.
 */
public final class DriftDetector {

    private static final Logger log = LoggerFactory.getLogger(DriftDetector.class);

    /** An endpoint's drift settings. */
    public record Settings(double threshold, int windowSize) {
    }

    private record Target(String endpoint, ModelVersionRef version) {
    }

    /** The scores of one target's open window. */
    private static final class Window {
        final double[] scores;
        int filled;

        Window(int size) {
            scores = new double[size];
        }
    }

    private final Settings defaults;
    private final Map<ModelVersionRef, ScoreBaseline> baselines = new HashMap<>();
    private final Map<String, Settings> settings = new HashMap<>();
    private final Set<String> openAlerts = new HashSet<>();
    private final Map<Target, Window> windows = new HashMap<>();
    private final Map<ModelVersionRef, Task> tasks = new HashMap<>();
    private final Map<Target, Comparison> comparisons = new HashMap<>();
    private String lastShadowRequest;
    private int rowInShadowRequest;

    /** A shadow version's open comparison window: sums over its rows so far. */
    private static final class Comparison {
        final String answeredByModel;
        final int answeredByVersion;
        final String windowId;
        int rows;
        int agreed;
        boolean decidable = true;
        double absoluteDifference;
        double shadowScores;
        double answeredScores;

        Comparison(String answeredByModel, int answeredByVersion, String windowId) {
            this.answeredByModel = answeredByModel;
            this.answeredByVersion = answeredByVersion;
            this.windowId = windowId;
        }
    }

    /** Told the PSI of every full window, drifted or not. */
    public interface WindowListener {
        void windowCompared(String endpoint, String model, int version, double psi);
    }

    private WindowListener listener = (endpoint, model, version, psi) -> { };

    public DriftDetector(Settings defaults) {
        this.defaults = defaults;
    }

    /** Sets who is told each full window's PSI (the drift monitor's metrics). */
    public void onWindow(WindowListener listener) {
        this.listener = listener;
    }

    /** Learns from one event of the log; events it does not need are ignored. */
    public void apply(Object event) {
        if (event instanceof ModelVersionRegistered v) {
            tasks.put(new ModelVersionRef(v.model(), v.version()), v.task());
            if (v.baseline() != null) {
                baselines.put(new ModelVersionRef(v.model(), v.version()), v.baseline());
            }
        } else if (event instanceof ModelVersionEvaluated e && e.baseline() != null) {
            // a version without a baseline from training (an imported one) takes its first evaluation's scores
            baselines.putIfAbsent(new ModelVersionRef(e.model(), e.version()), e.baseline());
        } else if (event instanceof DriftMonitorConfigured c) {
            settings.put(c.endpoint().value(), new Settings(c.psiThreshold(), c.windowSize()));
        } else if (event instanceof DriftAlertRaised r) {
            openAlerts.add(r.alertId().value());
        } else if (event instanceof DriftAlertResolved r) {
            openAlerts.remove(r.alertId().value());
        }
    }

    /** An alert was raised: no other is decided for its endpoint and version until it is resolved. */
    public void raised(DriftAlertId alert) {
        openAlerts.add(alert.value());
    }

    /**
     * Adds a live score to its window. When the window is full it is compared with the baseline and emptied; the
     * answer is the alert to raise, if the window drifted and no alert is open for its endpoint and version.
     */
    public Optional<RaiseDriftAlert> observe(ScoreRecord score) {
        ModelVersionRef version = ModelVersionRef.of(score.model(), score.version());
        ScoreBaseline baseline = baselines.get(version);
        if (baseline == null) {
            return Optional.empty();
        }
        Settings s = settings.getOrDefault(score.endpoint(), defaults);
        Target target = new Target(score.endpoint(), version);
        Window window = windows.get(target);
        if (window == null || window.scores.length != s.windowSize()) {
            // new settings apply to the window open now: its scores are kept (scores can reach the monitor before
            // the configuration event that was recorded ahead of them does)
            Window resized = new Window(s.windowSize());
            if (window != null) {
                resized.filled = Math.min(window.filled, resized.scores.length - 1);
                System.arraycopy(window.scores, window.filled - resized.filled, resized.scores, 0, resized.filled);
            }
            window = resized;
            windows.put(target, window);
        }
        window.scores[window.filled++] = score.score();
        if (window.filled < window.scores.length) {
            return Optional.empty();
        }
        window.filled = 0;
        double psi = ScoreDistribution.psi(baseline, window.scores);
        listener.windowCompared(score.endpoint(), score.model(), score.version(), psi);
        if (psi <= s.threshold()) {
            // every window's PSI is on annals_drift_psi; the log keeps the ones that drifted
            log.debug("Drift window of {} on endpoint {} (model '{}' version {}): PSI {} (threshold {})",
                    window.scores.length, score.endpoint(), score.model(), score.version(),
                    String.format(Locale.ROOT, "%.4f", psi), s.threshold());
            return Optional.empty();
        }
        log.info("Drift window of {} on endpoint {} (model '{}' version {}): PSI {} over the threshold {}",
                window.scores.length, score.endpoint(), score.model(), score.version(),
                String.format(Locale.ROOT, "%.4f", psi), s.threshold());
        EndpointName endpoint = EndpointName.of(score.endpoint());
        DriftAlertId id = DriftAlertId.forTarget(endpoint, version.model(), score.version());
        if (openAlerts.contains(id.value())) {
            return Optional.empty();
        }
        return Optional.of(new RaiseDriftAlert(id, endpoint, ModelName.of(score.model()), score.version(), psi,
                s.threshold(), window.scores.length, score.at()));
    }

    /**
     * Adds a shadow score to its version's comparison window (other scores are ignored). When the window is full the
     * answer is the comparison to record: rows, agreement, mean absolute difference and mean scores. A window of
     * rows that shadowed another version than the open one's is started afresh (the endpoint was redeployed).
     */
    public Optional<RecordShadowComparison> compare(ScoreRecord score) {
        if (!score.shadow()) {
            return Optional.empty();
        }
        rowInShadowRequest = score.requestId().equals(lastShadowRequest) ? rowInShadowRequest + 1 : 0;
        lastShadowRequest = score.requestId();
        ScoreRecord.Answered answered = score.shadowOf();
        Settings s = settings.getOrDefault(score.endpoint(), defaults);
        Target target = new Target(score.endpoint(), ModelVersionRef.of(score.model(), score.version()));
        Comparison window = comparisons.get(target);
        if (window == null || !window.answeredByModel.equals(answered.model())
                || window.answeredByVersion != answered.version()) {
            window = new Comparison(answered.model(), answered.version(), score.model() + "@" + score.version() + "/"
                    + score.requestId() + "/" + rowInShadowRequest);
            comparisons.put(target, window);
        }
        window.rows++;
        window.absoluteDifference += Math.abs(score.score() - answered.score());
        window.shadowScores += score.score();
        window.answeredScores += answered.score();
        Task task = tasks.get(target.version());
        if (score.predictedClass() != null || task == Task.MULTICLASS_CLASSIFICATION) {
            window.agreed += java.util.Objects.equals(score.predictedClass(), answered.predictedClass()) ? 1 : 0;
        } else if (task == Task.BINARY_CLASSIFICATION) {
            window.agreed += (score.score() >= 0.5) == (answered.score() >= 0.5) ? 1 : 0;
        } else {
            window.decidable = false;
        }
        if (window.rows < s.windowSize()) {
            return Optional.empty();
        }
        comparisons.remove(target);
        int n = window.rows;
        ShadowComparison comparison = new ShadowComparison(score.model(), score.version(), window.answeredByModel,
                window.answeredByVersion, n, window.decidable ? (double) window.agreed / n : null,
                window.absoluteDifference / n, window.shadowScores / n, window.answeredScores / n, score.at());
        log.info("Shadow window of {} on endpoint {}: model '{}' version {} against version {}: agreement {}, mean "
                + "|difference| {}", n, score.endpoint(), score.model(), score.version(), window.answeredByVersion,
                comparison.agreement() == null ? "n/a" : String.format(Locale.ROOT, "%.3f", comparison.agreement()),
                String.format(Locale.ROOT, "%.4f", comparison.meanAbsoluteDifference()));
        return Optional.of(new RecordShadowComparison(EndpointName.of(score.endpoint()), window.windowId,
                comparison));
    }
}
