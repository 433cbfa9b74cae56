package io.annals.workers.drift;

import io.annals.command.api.common.FeatureProfile;
import io.annals.command.api.common.InputProfile;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.common.ScoreRecord;
import io.annals.command.api.drift.DriftAlertEscalated;
import io.annals.command.api.drift.DriftAlertId;
import io.annals.command.api.drift.DriftAlertRaised;
import io.annals.command.api.drift.DriftAlertResolved;
import io.annals.command.api.drift.DriftFinding;
import io.annals.command.api.drift.DriftSeverity;
import io.annals.command.api.drift.RaiseDriftAlert;
import io.annals.command.api.endpoint.DriftMonitorConfigured;
import io.annals.command.api.endpoint.DriftMonitorSettings;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.endpoint.RecordShadowComparison;
import io.annals.command.api.endpoint.ShadowComparison;
import io.annals.command.api.model.ModelVersionEvaluated;
import io.annals.command.api.model.ModelVersionRef;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingRunCompleted;
import io.annals.command.api.trainingrun.TrainingRunId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drift monitor's decisions, without Kafka. From the event log it learns each version's references (the
 * validation score baseline, the input profile of its training rows or evaluation batch), each endpoint's settings
 * and which alerts are open. It groups live rows per endpoint and model version into tumbling windows that close at
 * the endpoint's window size or window time, whichever comes first; a closed window's score is compared by PSI with
 * the baseline and each input feature by its test ({@link FeatureTests}) with its profile, and every comparison past
 * its threshold is an alert to raise — unless one is open for that endpoint, version and feature already at that
 * severity. Shadow scores take part like any other, and {@link #compare} also sums each shadow version's scores
 * against the answers they shadowed, in windows of the same size.
 *
 * <p>Every window remembers the partition and offset of its first record, so that a monitor that starts again can
 * rebuild its open windows from {@code annals.scores} ({@link #checkpoint}, {@link #resume}). Not thread-safe.
 */
public final class DriftDetector {

    private static final Logger log = LoggerFactory.getLogger(DriftDetector.class);
    /** A window closed by time is tested only once it has this many rows; until then it stays open. */
    public static final int MIN_ROWS_BY_TIME = 30;

    private record Target(String endpoint, ModelVersionRef version) {
        String key(char kind) {
            return WindowCheckpoint.key(kind + ":" + endpoint + "/" + version.model() + "@" + version.version());
        }
    }

    /** What a version is compared with. */
    private static final class References {
        Task task;
        ScoreBaseline baseline;
        InputProfile profile;
    }

    /** The rows of one target's open window. */
    private static final class Window {
        final double[] scores;
        int rows;
        Instant first;
        Instant last;
        int partition = -1;
        long startOffset = -1;
        /** Feature values of the rows whose features were logged (serving samples them), by feature name. */
        final Map<String, List<Object>> features = new LinkedHashMap<>();

        Window(int size) {
            scores = new double[size];
        }

        void add(ScoreRecord score) {
            scores[rows++] = score.score();
            last = score.at();
            if (score.features() != null) {
                for (Map.Entry<String, Object> f : score.features().entrySet()) {
                    features.computeIfAbsent(f.getKey(), k -> new ArrayList<>()).add(f.getValue());
                }
            }
        }
    }

    /** A version's open error-rate window: its rows so far, and how many of them failed. */
    private static final class Tally {
        int rows;
        int failed;
        Instant first;
        Instant last;
        int partition = -1;
        long startOffset = -1;
    }

    /** A shadow version's open comparison window: sums over its rows so far. */
    private static final class Comparison {
        final String answeredByModel;
        final int answeredByVersion;
        final String windowId;
        final int partition;
        final long startOffset;
        int rows;
        int agreed;
        boolean decidable = true;
        double absoluteDifference;
        double shadowScores;
        double answeredScores;

        Comparison(String answeredByModel, int answeredByVersion, String windowId, int partition, long startOffset) {
            this.answeredByModel = answeredByModel;
            this.answeredByVersion = answeredByVersion;
            this.windowId = windowId;
            this.partition = partition;
            this.startOffset = startOffset;
        }
    }

    /** A window that closed: its rows and times, the score's PSI (null without a baseline), and what drifted. */
    public record ClosedWindow(String endpoint, String model, int version, int rows, Instant start, Instant end,
                               Double scorePsi, int featuresTested, List<DriftFinding> drifted) {
    }

    /** Told of every window that closes, drifted or not. */
    public interface WindowListener {
        void windowClosed(ClosedWindow window);
    }

    private final DriftMonitorSettings defaults;
    private final Map<ModelVersionRef, References> references = new HashMap<>();
    /** Profiles of completed runs whose version is not registered yet. */
    private final Map<TrainingRunId, InputProfile> runProfiles = new HashMap<>();
    private final Map<String, DriftMonitorSettings> settings = new HashMap<>();
    private final Map<String, DriftSeverity> openAlerts = new HashMap<>();
    private final Map<Target, Window> windows = new HashMap<>();
    private final Map<Target, Comparison> comparisons = new HashMap<>();
    private final Map<Target, Tally> tallies = new HashMap<>();
    private final Map<Integer, WindowCheckpoint> resumed = new HashMap<>();
    private String lastShadowRequest;
    private int rowInShadowRequest;
    private final List<WindowListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public DriftDetector(DriftMonitorSettings defaults) {
        this.defaults = defaults;
    }

    /** Adds one who is told of each closed window (the drift monitor's metrics, a benchmark). */
    public void onWindow(WindowListener listener) {
        listeners.add(listener);
    }

    /** Learns from one event of the log; events it does not need are ignored. */
    public void apply(Object event) {
        if (event instanceof TrainingRunCompleted c && c.profile() != null) {
            runProfiles.put(c.runId(), c.profile());
        } else if (event instanceof ModelVersionRegistered v) {
            References r = references(new ModelVersionRef(v.model(), v.version()));
            r.task = v.task();
            if (v.baseline() != null) {
                r.baseline = v.baseline();
            }
            if (v.runId() != null) {
                InputProfile profile = runProfiles.remove(v.runId());
                if (profile != null) {
                    r.profile = profile;
                }
            }
        } else if (event instanceof ModelVersionEvaluated e) {
            // a version without references from training (an imported one) takes its first evaluation's
            References r = references(new ModelVersionRef(e.model(), e.version()));
            if (r.baseline == null) {
                r.baseline = e.baseline();
            }
            if (r.profile == null) {
                r.profile = e.profile();
            }
        } else if (event instanceof DriftMonitorConfigured c) {
            settings.put(c.endpoint().value(), c.settings());
        } else if (event instanceof DriftAlertRaised r) {
            openAlerts.put(r.alertId().value(), r.severity());
        } else if (event instanceof DriftAlertEscalated e) {
            openAlerts.put(e.alertId().value(), e.finding().severity());
        } else if (event instanceof DriftAlertResolved r) {
            openAlerts.remove(r.alertId().value());
        }
    }

    private References references(ModelVersionRef version) {
        return references.computeIfAbsent(version, v -> new References());
    }

    /** An alert was raised (or escalated): none is decided again for its stream below that severity. */
    public void raised(DriftAlertId alert, DriftSeverity severity) {
        openAlerts.merge(alert.value(), severity, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    private DriftMonitorSettings settings(String endpoint) {
        return settings.getOrDefault(endpoint, defaults);
    }

    /** As {@link #observe(ScoreRecord, int, long)} for a score read from nowhere in particular (tests). */
    public List<RaiseDriftAlert> observe(ScoreRecord score) {
        return observe(score, -1, -1);
    }

    /**
     * Adds a live row (its score, and its features when they were logged) to its window, read from {@code offset}
     * of {@code partition}. A row later than the window's time closes the window before it; a full window closes
     * after it. The answer is the alerts to raise for the windows that closed.
     */
    public List<RaiseDriftAlert> observe(ScoreRecord score, int partition, long offset) {
        ModelVersionRef version = ModelVersionRef.of(score.model(), score.version());
        Target target = new Target(score.endpoint(), version);
        List<RaiseDriftAlert> failures = score.shadow() ? List.of() : tally(target, score, partition, offset);
        if (score.failure() != null || !counts(target, 'd', partition, offset)) {
            return failures;
        }
        References refs = references.get(version);
        if (refs == null || (refs.baseline == null && refs.profile == null)) {
            return failures;
        }
        DriftMonitorSettings s = settings(score.endpoint());
        List<RaiseDriftAlert> alerts = new ArrayList<>(failures);
        Window window = windows.get(target);
        if (window != null && window.rows >= MIN_ROWS_BY_TIME
                && !score.at().isBefore(window.first.plusSeconds(s.windowSeconds()))) {
            alerts.addAll(close(target, window, refs));
            window = null;
        }
        if (window != null && window.scores.length != s.windowSize()) {
            window = resized(target, window, s.windowSize());
        }
        if (window == null) {
            window = new Window(s.windowSize());
            windows.put(target, window);
        }
        if (window.rows == 0) {
            window.first = score.at();
            window.partition = partition;
            window.startOffset = offset;
        }
        window.add(score);
        if (window.rows == window.scores.length) {
            alerts.addAll(close(target, window, refs));
        }
        return alerts;
    }

    /**
     * Counts a row served or the rows of a failed request in the version's error-rate window, when the endpoint
     * watches its error rate; the window closes as a drift window does (at the window size, or by time with
     * {@value #MIN_ROWS_BY_TIME} rows). A window whose share of failed rows passed {@code maxErrorRate} is an alert.
     */
    private List<RaiseDriftAlert> tally(Target target, ScoreRecord score, int partition, long offset) {
        DriftMonitorSettings s = settings(score.endpoint());
        if (s.maxErrorRate() == null) {
            tallies.remove(target);
            return List.of();
        }
        if (!counts(target, 'e', partition, offset)) {
            return List.of();
        }
        List<RaiseDriftAlert> alerts = new ArrayList<>();
        Tally tally = tallies.get(target);
        if (tally != null && tally.rows >= MIN_ROWS_BY_TIME
                && !score.at().isBefore(tally.first.plusSeconds(s.windowSeconds()))) {
            tallies.remove(target);
            alerts.addAll(evaluate(target, tally));
            tally = null;
        }
        if (tally == null) {
            tally = new Tally();
            tally.first = score.at();
            tally.partition = partition;
            tally.startOffset = offset;
            tallies.put(target, tally);
        }
        int rows = score.failure() == null ? 1 : score.failure().rows();
        tally.rows += rows;
        tally.failed += score.failure() == null ? 0 : rows;
        tally.last = score.at();
        if (tally.rows >= s.windowSize()) {
            tallies.remove(target);
            alerts.addAll(evaluate(target, tally));
        }
        return alerts;
    }

    private List<RaiseDriftAlert> evaluate(Target target, Tally tally) {
        DriftMonitorSettings s = settings(target.endpoint());
        if (s.maxErrorRate() == null) {
            return List.of();
        }
        DriftFinding finding = FeatureTests.errorRate(tally.rows, tally.failed, s, tally.first, tally.last);
        ModelVersionRef version = target.version();
        if (finding.severity() == null) {
            log.debug("Error-rate window of {} rows on endpoint {} (model '{}' version {}): {} failed", tally.rows,
                    target.endpoint(), version.model(), version.version(), tally.failed);
            return List.of();
        }
        log.info("Error-rate window of {} rows on endpoint {} (model '{}' version {}): {} failed, {} (threshold {}, "
                + "{})", tally.rows, target.endpoint(), version.model(), version.version(), tally.failed,
                String.format(Locale.ROOT, "%.3f", finding.statistic()), finding.threshold(), finding.severity());
        return unlessOpen(target, finding).stream().toList();
    }

    /** The alert a finding asks for, unless one is open for its stream at that severity or above. */
    private Optional<RaiseDriftAlert> unlessOpen(Target target, DriftFinding finding) {
        RaiseDriftAlert alert = RaiseDriftAlert.of(EndpointName.of(target.endpoint()), target.version().model(),
                target.version().version(), finding);
        DriftSeverity open = openAlerts.get(alert.alertId().value());
        return open == null || finding.severity().compareTo(open) > 0 ? Optional.of(alert) : Optional.empty();
    }

    /**
     * New settings apply to the window open now: its rows are kept (rows can reach the monitor before the
     * configuration event that was recorded ahead of them does), the newest ones if it is now smaller.
     */
    private Window resized(Target target, Window window, int size) {
        Window resized = new Window(size);
        int keep = Math.min(window.rows, size - 1);
        System.arraycopy(window.scores, window.rows - keep, resized.scores, 0, keep);
        resized.rows = keep;
        resized.first = window.first;
        resized.last = window.last;
        resized.partition = window.partition;
        resized.startOffset = window.startOffset;
        for (Map.Entry<String, List<Object>> f : window.features.entrySet()) {
            List<Object> values = f.getValue();
            resized.features.put(f.getKey(), new ArrayList<>(values.subList(Math.max(0, values.size() - keep),
                    values.size())));
        }
        windows.put(target, resized);
        return resized;
    }

    /**
     * Closes the windows whose time has passed by {@code now} (and that have {@value #MIN_ROWS_BY_TIME} rows): an
     * endpoint that goes quiet still has its last rows tested.
     */
    public List<RaiseDriftAlert> expire(Instant now) {
        List<RaiseDriftAlert> alerts = new ArrayList<>();
        for (Iterator<Map.Entry<Target, Tally>> it = tallies.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Target, Tally> open = it.next();
            Tally tally = open.getValue();
            if (tally.rows >= MIN_ROWS_BY_TIME
                    && !now.isBefore(tally.first.plusSeconds(settings(open.getKey().endpoint()).windowSeconds()))) {
                it.remove();
                alerts.addAll(evaluate(open.getKey(), tally));
            }
        }
        for (Iterator<Map.Entry<Target, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Target, Window> open = it.next();
            Window window = open.getValue();
            DriftMonitorSettings s = settings(open.getKey().endpoint());
            if (window.rows >= MIN_ROWS_BY_TIME && !now.isBefore(window.first.plusSeconds(s.windowSeconds()))) {
                it.remove();
                alerts.addAll(evaluate(open.getKey(), window, references.get(open.getKey().version())));
            }
        }
        return alerts;
    }

    private List<RaiseDriftAlert> close(Target target, Window window, References refs) {
        windows.remove(target);
        return evaluate(target, window, refs);
    }

    private List<RaiseDriftAlert> evaluate(Target target, Window window, References refs) {
        DriftMonitorSettings s = settings(target.endpoint());
        List<DriftFinding> drifted = new ArrayList<>();
        Double scorePsi = null;
        if (refs.baseline != null) {
            DriftFinding score = FeatureTests.score(refs.baseline, window.scores, window.rows, s, window.first,
                    window.last);
            scorePsi = score.psi();
            if (score.severity() != null) {
                drifted.add(score);
            }
        }
        int tested = 0;
        if (refs.profile != null) {
            int candidates = (int) refs.profile.features().stream().filter(f -> window.features.containsKey(
                    f.feature()) && (s.rule(f.feature()) == null || s.rule(f.feature()).enabled())).count();
            for (FeatureProfile profile : refs.profile.features()) {
                List<Object> values = window.features.get(profile.feature());
                Optional<DriftFinding> finding = FeatureTests.feature(profile, refs.profile.rows(), values,
                        s.rule(profile.feature()), window.first, window.last, candidates);
                if (finding.isPresent()) {
                    tested++;
                    if (finding.get().severity() != null) {
                        drifted.add(finding.get());
                    }
                }
            }
        }
        String endpoint = target.endpoint();
        ModelVersionRef version = target.version();
        ClosedWindow closed = new ClosedWindow(endpoint, version.model().value(), version.version(), window.rows,
                window.first, window.last, scorePsi, tested, List.copyOf(drifted));
        listeners.forEach(l -> l.windowClosed(closed));
        if (drifted.isEmpty()) {
            log.debug("Drift window of {} rows on endpoint {} (model '{}' version {}): score PSI {}, {} features, "
                    + "nothing drifted", window.rows, endpoint, version.model(), version.version(), scorePsi, tested);
            return List.of();
        }
        List<RaiseDriftAlert> alerts = new ArrayList<>();
        for (DriftFinding finding : drifted) {
            log.info("Drift window of {} rows on endpoint {} (model '{}' version {}): {} drifted by {} {} (threshold "
                    + "{}, {})", window.rows, endpoint, version.model(), version.version(), finding.subject(),
                    finding.test(), String.format(Locale.ROOT, "%.4g", finding.test().statistical()
                            ? finding.pValue() : finding.statistic()), finding.threshold(), finding.severity());
            unlessOpen(target, finding).ifPresent(alerts::add);
        }
        return alerts;
    }

    /** As {@link #compare(ScoreRecord, int, long)} for a score read from nowhere in particular (tests). */
    public Optional<RecordShadowComparison> compare(ScoreRecord score) {
        return compare(score, -1, -1);
    }

    /**
     * Adds a shadow score to its version's comparison window (other scores are ignored). When the window is full the
     * answer is the comparison to record: rows, agreement, mean absolute difference and mean scores. A window of
     * rows that shadowed another version than the open one's is started afresh (the endpoint was redeployed).
     */
    public Optional<RecordShadowComparison> compare(ScoreRecord score, int partition, long offset) {
        if (!score.shadow()) {
            return Optional.empty();
        }
        rowInShadowRequest = score.requestId().equals(lastShadowRequest) ? rowInShadowRequest + 1 : 0;
        lastShadowRequest = score.requestId();
        Target target = new Target(score.endpoint(), ModelVersionRef.of(score.model(), score.version()));
        if (!counts(target, 'c', partition, offset)) {
            return Optional.empty();
        }
        ScoreRecord.Answered answered = score.shadowOf();
        DriftMonitorSettings s = settings(score.endpoint());
        Comparison window = comparisons.get(target);
        if (window == null || !window.answeredByModel.equals(answered.model())
                || window.answeredByVersion != answered.version()) {
            window = new Comparison(answered.model(), answered.version(), score.model() + "@" + score.version() + "/"
                    + score.requestId() + "/" + rowInShadowRequest, partition, offset);
            comparisons.put(target, window);
        }
        window.rows++;
        window.absoluteDifference += Math.abs(score.score() - answered.score());
        window.shadowScores += score.score();
        window.answeredScores += answered.score();
        References refs = references.get(target.version());
        Task task = refs == null ? null : refs.task;
        if (score.predictedClass() != null || task == Task.MULTICLASS_CLASSIFICATION) {
            window.agreed += Objects.equals(score.predictedClass(), answered.predictedClass()) ? 1 : 0;
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

    // ---- restarts

    private boolean counts(Target target, char kind, int partition, long offset) {
        WindowCheckpoint checkpoint = resumed.get(partition);
        if (checkpoint == null) {
            return true;
        }
        if (offset >= checkpoint.position()) {
            resumed.remove(partition);
            return true;
        }
        return checkpoint.counts(target.key(kind), offset);
    }

    /**
     * Where the windows open in {@code partition} start, with {@code position} the offset of the next record to
     * read there: what the monitor commits.
     */
    public WindowCheckpoint checkpoint(int partition, long position) {
        WindowCheckpoint pending = resumed.get(partition);
        if (pending != null) {
            // still re-reading what was read before: a crash now must start over from the same place
            return pending;
        }
        Map<String, Long> starts = new HashMap<>();
        windows.forEach((target, window) -> {
            if (window.partition == partition && window.rows > 0) {
                starts.put(target.key('d'), window.startOffset);
            }
        });
        comparisons.forEach((target, window) -> {
            if (window.partition == partition && window.rows > 0) {
                starts.put(target.key('c'), window.startOffset);
            }
        });
        tallies.forEach((target, tally) -> {
            if (tally.partition == partition && tally.rows > 0) {
                starts.put(target.key('e'), tally.startOffset);
            }
        });
        return new WindowCheckpoint(position, starts);
    }

    /** A partition is read again from a checkpoint's offset: records before its position count only once. */
    public void resume(int partition, WindowCheckpoint checkpoint) {
        forget(partition);
        resumed.put(partition, checkpoint);
    }

    /** Drops the windows of a partition this monitor no longer reads (another takes them over from the log). */
    public void forget(int partition) {
        windows.values().removeIf(w -> w.partition == partition);
        comparisons.values().removeIf(c -> c.partition == partition);
        tallies.values().removeIf(t -> t.partition == partition);
        resumed.remove(partition);
    }
}
