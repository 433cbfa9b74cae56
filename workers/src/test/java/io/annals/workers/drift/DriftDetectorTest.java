package io.annals.workers.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.common.ScoreRecord;
import io.annals.command.api.drift.DriftAlertId;
import io.annals.command.api.drift.DriftAlertRaised;
import io.annals.command.api.drift.DriftAlertResolved;
import io.annals.command.api.drift.DriftAlertEscalated;
import io.annals.command.api.drift.DriftSeverity;
import io.annals.command.api.drift.DriftTest;
import io.annals.command.api.endpoint.DriftMonitorSettings;
import io.annals.command.api.drift.RaiseDriftAlert;
import io.annals.command.api.endpoint.DriftMonitorConfigured;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.endpoint.RecordShadowComparison;
import io.annals.command.api.endpoint.ShadowComparison;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.model.EvaluationId;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionEvaluated;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingRunId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The drift monitor's decisions, given events and scores: when it raises an alert, and when it holds back. */
class DriftDetectorTest {

    private static final EndpointName SCORING = EndpointName.of("scoring");
    private static final ModelName RISK = ModelName.of("risk");
    private static final DriftAlertId ALERT = DriftAlertId.forTarget(SCORING, RISK, 1);
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final DriftDetector detector = new DriftDetector(new DriftMonitorSettings(0.2, 500));

    @BeforeEach
    void givenAVersionWhoseValidationScoresWereMostlyLowAndAWindowOfTen() {
        // validation: 80% of scores below 0.5
        detector.apply(new ModelVersionRegistered(RISK, 1, TrainingRunId.of("run-1"), Task.BINARY_CLASSIFICATION,
                List.of("x"), new ArtifactRef("s3://annals/m.zip", "e".repeat(64), 1), Map.of(),
                new ScoreBaseline(List.of(0.5), List.of(0.8, 0.2), 1_000)));
        detector.apply(new DriftMonitorConfigured(SCORING, 0.2, 10));
    }

    /** Ten scores: {@code high} of them above 0.5. */
    private List<List<RaiseDriftAlert>> window(int high) {
        List<List<RaiseDriftAlert>> decisions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            decisions.add(detector.observe(new ScoreRecord("req-" + i, "scoring", "risk", 1, 1, i < high ? 0.9 : 0.1,
                    T0.plusSeconds(i))));
        }
        return decisions;
    }

    @Test
    void givenAWindowLikeTheBaseline_thenNoAlert() {
        assertThat(window(2)).allMatch(List::isEmpty);
    }

    @Test
    void givenAWindowWhoseScoresMovedUp_thenOneAlertNamingTheEndpointVersionAndStatistic() {
        List<List<RaiseDriftAlert>> decisions = window(8);

        assertThat(decisions.subList(0, 9)).allMatch(List::isEmpty);
        assertThat(decisions.get(9)).hasSize(1);
        RaiseDriftAlert alert = decisions.get(9).get(0);
        assertThat(alert.alertId()).isEqualTo(ALERT);
        assertThat(alert.endpoint()).isEqualTo(SCORING);
        assertThat(alert.version()).isEqualTo(1);
        assertThat(alert.psi()).isGreaterThan(0.2);
        assertThat(alert.threshold()).isEqualTo(0.2);
        assertThat(alert.windowSize()).isEqualTo(10);
        assertThat(alert.windowEnd()).isEqualTo(T0.plusSeconds(9));
    }

    @Test
    void givenAWarningOpen_thenOnlyACriticalWindowAsksAgainOnce_andNothingMoreUntilItIsResolved() {
        detector.apply(new DriftAlertRaised(ALERT, 1, SCORING, RISK, 1, 0.9, 0.2, 10, T0));
        List<RaiseDriftAlert> escalation = window(8).get(9);
        assertThat(escalation).singleElement().extracting(RaiseDriftAlert::severity).isEqualTo(DriftSeverity.CRITICAL);
        detector.apply(new DriftAlertEscalated(ALERT, 1, SCORING, RISK, 1, escalation.get(0).finding()));
        assertThat(window(8)).allMatch(List::isEmpty);

        detector.apply(new DriftAlertResolved(ALERT, 1, "fixed"));
        assertThat(window(8).get(9)).hasSize(1);
    }

    @Test
    void givenAnAlertJustRaisedByThisMonitor_thenTheNextWindowDoesNotAskAgain() {
        detector.raised(window(8).get(9).get(0).alertId(), DriftSeverity.CRITICAL);
        assertThat(window(8)).allMatch(List::isEmpty);
    }

    @Test
    void givenScoresOfAVersionWithoutABaseline_thenIgnored() {
        for (int i = 0; i < 20; i++) {
            assertThat(detector.observe(new ScoreRecord("r", "scoring", "risk", 7, 1, 0.9, T0))).isEmpty();
        }
    }

    @Test
    void givenAnImportedVersion_thenItsFirstEvaluationIsItsBaseline() {
        ModelName imported = ModelName.of("imported");
        detector.apply(new ModelVersionRegistered(imported, 1, null, Task.BINARY_CLASSIFICATION, List.of("x"),
                new ArtifactRef("s3://annals/m.onnx", "e".repeat(64), 1), Map.of(), null));
        List<ScoreRecord> highScores = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            highScores.add(new ScoreRecord("r" + i, "scoring", "imported", 1, 1, 0.9, T0.plusSeconds(i)));
        }
        assertThat(highScores.stream().map(detector::observe)).as("no baseline yet").allMatch(List::isEmpty);

        BatchRef batch = new BatchRef(DatasetName.of("holdout"), BatchId.of("b1"));
        detector.apply(new ModelVersionEvaluated(imported, 1, EvaluationId.of("e1"), batch, 100, Map.of(),
                new ScoreBaseline(List.of(0.5), List.of(0.8, 0.2), 100)));
        detector.apply(new ModelVersionEvaluated(imported, 1, EvaluationId.of("e2"), batch, 100, Map.of(),
                new ScoreBaseline(List.of(0.5), List.of(0.1, 0.9), 100)));
        List<List<RaiseDriftAlert>> decisions = highScores.stream().map(detector::observe).toList();
        assertThat(decisions.get(9)).as("high scores against the first evaluation's mostly low ones").hasSize(1);
    }

    private static ScoreRecord shadowScore(String request, int version, double score, int answeredVersion,
                                           double answered, String shadowClass, String answeredClass) {
        return new ScoreRecord(request, "scoring", "risk", version, 2, score, T0, shadowClass, true,
                new ScoreRecord.Answered("risk", answeredVersion, answered, answeredClass));
    }

    private void registerVersion(int version, Task task) {
        detector.apply(new ModelVersionRegistered(RISK, version, TrainingRunId.of("run-" + version), task,
                List.of("x"), new ArtifactRef("s3://annals/m" + version + ".zip", "e".repeat(64), 1), Map.of(),
                null));
    }

    @Test
    void givenABinaryShadow_whenItsWindowFills_thenAgreementAndDifferencesAreRecordedOnce() {
        registerVersion(2, Task.BINARY_CLASSIFICATION);
        // ten rows of three requests: 0.9 against 0.8 agree (|d| 0.1); 0.4 against 0.6 disagree (|d| 0.2)
        List<Optional<RecordShadowComparison>> decisions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            boolean agree = i < 7;
            decisions.add(detector.compare(shadowScore("req-" + i / 4, 2, agree ? 0.9 : 0.4, 1, agree ? 0.8 : 0.6,
                    null, null)));
        }
        assertThat(decisions.subList(0, 9)).allMatch(Optional::isEmpty);
        RecordShadowComparison recorded = decisions.get(9).orElseThrow();
        assertThat(recorded.endpoint()).isEqualTo(SCORING);
        assertThat(recorded.windowId()).isEqualTo("risk@2/req-0/0");
        ShadowComparison c = recorded.comparison();
        assertThat(c.rows()).isEqualTo(10);
        assertThat(c.model()).isEqualTo("risk");
        assertThat(c.version()).isEqualTo(2);
        assertThat(c.answeredByVersion()).isEqualTo(1);
        assertThat(c.agreement()).isCloseTo(0.7, within(1e-9));
        assertThat(c.meanAbsoluteDifference()).isCloseTo((7 * 0.1 + 3 * 0.2) / 10, within(1e-9));
        assertThat(c.meanShadowScore()).isCloseTo((7 * 0.9 + 3 * 0.4) / 10, within(1e-9));
        assertThat(c.meanAnsweredScore()).isCloseTo((7 * 0.8 + 3 * 0.6) / 10, within(1e-9));

        // the next window starts in the middle of request req-2 (rows 8 and 9 were its first two), at its third row
        Optional<RecordShadowComparison> next = Optional.empty();
        for (int i = 0; i < 10; i++) {
            next = detector.compare(shadowScore("req-2", 2, 0.9, 1, 0.8, null, null));
        }
        assertThat(next.orElseThrow().windowId()).isEqualTo("risk@2/req-2/2");
    }

    @Test
    void givenAMultiClassShadow_whenItsWindowFills_thenAgreementCountsTheSameClass() {
        registerVersion(2, Task.MULTICLASS_CLASSIFICATION);
        Optional<RecordShadowComparison> last = Optional.empty();
        for (int i = 0; i < 10; i++) {
            last = detector.compare(shadowScore("req-" + i, 2, 0.6, 1, 0.7, i < 4 ? "gold" : "silver", "gold"));
        }
        assertThat(last.orElseThrow().comparison().agreement()).isCloseTo(0.4, within(1e-9));
    }

    @Test
    void givenARegressionShadow_whenItsWindowFills_thenAgreementIsNotDecided() {
        registerVersion(2, Task.REGRESSION);
        Optional<RecordShadowComparison> last = Optional.empty();
        for (int i = 0; i < 10; i++) {
            last = detector.compare(shadowScore("req-" + i, 2, 10 + i, 1, 12 + i, null, null));
        }
        assertThat(last.orElseThrow().comparison().agreement()).isNull();
        assertThat(last.orElseThrow().comparison().meanAbsoluteDifference()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void givenAShadowWindowOpen_whenTheAnsweringVersionChanges_thenTheWindowStartsAfresh() {
        registerVersion(3, Task.BINARY_CLASSIFICATION);
        for (int i = 0; i < 6; i++) {
            assertThat(detector.compare(shadowScore("a-" + i, 3, 0.9, 1, 0.9, null, null))).isEmpty();
        }
        List<Optional<RecordShadowComparison>> decisions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            decisions.add(detector.compare(shadowScore("b-" + i, 3, 0.9, 2, 0.1, null, null)));
        }
        assertThat(decisions.subList(0, 9)).allMatch(Optional::isEmpty);
        ShadowComparison c = decisions.get(9).orElseThrow().comparison();
        assertThat(c.answeredByVersion()).isEqualTo(2);
        assertThat(c.agreement()).isZero();
    }

    @Test
    void givenAnsweredScores_whenCompared_thenIgnored() {
        for (int i = 0; i < 20; i++) {
            assertThat(detector.compare(new ScoreRecord("r-" + i, "scoring", "risk", 1, 1, 0.9, T0))).isEmpty();
        }
    }

    @Test
    void givenFullWindows_whenCompared_thenTheListenerIsToldEachPsi() {
        List<Double> told = new ArrayList<>();
        detector.onWindow(closed -> told.add(closed.scorePsi()));
        window(0);
        window(10);
        assertThat(told).hasSize(2);
        assertThat(told.get(0)).isLessThan(told.get(1));
    }

    @Test
    void givenScoresBeforeTheWindowSizeChanges_thenTheOpenWindowKeepsThem() {
        for (int i = 0; i < 6; i++) {
            assertThat(detector.observe(new ScoreRecord("a-" + i, "scoring", "risk", 1, 1, 0.9, T0))).isEmpty();
        }
        detector.apply(new DriftMonitorConfigured(SCORING, 0.2, 8));
        assertThat(detector.observe(new ScoreRecord("b-0", "scoring", "risk", 1, 1, 0.9, T0))).isEmpty();
        assertThat(detector.observe(new ScoreRecord("b-1", "scoring", "risk", 1, 1, 0.9, T0)))
                .as("six kept and two more fill the window of eight").hasSize(1);

        for (int i = 0; i < 6; i++) {
            assertThat(detector.observe(new ScoreRecord("c-" + i, "scoring", "risk", 1, 1, 0.1, T0))).isEmpty();
        }
        detector.apply(new DriftMonitorConfigured(SCORING, 0.2, 4));
        List<Double> told = new ArrayList<>();
        detector.onWindow(closed -> told.add(closed.scorePsi()));
        detector.observe(new ScoreRecord("d-0", "scoring", "risk", 1, 1, 0.1, T0));
        assertThat(told).as("the last three kept and one more fill the window of four").hasSize(1);
    }

    private static final DriftMonitorSettings WATCHING_ERRORS = new DriftMonitorSettings(0.2, 10, 900, 0.4, List.of(),
            0.2);

    /** A score like the baseline's: one in five is high. */
    private static ScoreRecord low(String request, int offset) {
        return new ScoreRecord(request, "scoring", "risk", 1, 1, offset % 5 == 0 ? 0.9 : 0.1, T0.plusSeconds(offset));
    }

    @Test
    void givenAnEndpointWatchingItsErrorRate_whenAWindowFailsPastIt_thenAnErrorRateAlertApartFromTheScores() {
        detector.apply(new DriftMonitorConfigured(SCORING, WATCHING_ERRORS));
        List<Integer> scoreWindows = new ArrayList<>();
        detector.onWindow(closed -> scoreWindows.add(closed.rows()));
        List<RaiseDriftAlert> decided = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            decided.addAll(detector.observe(low("ok-" + i, i)));
        }
        // a request of three rows the version could not read: 3 of the window's 10 rows failed
        decided.addAll(detector.observe(ScoreRecord.failed("bad", "scoring", "risk", 1, 1, T0.plusSeconds(8), 400,
                3)));
        assertThat(decided).singleElement().satisfies(alert -> {
            assertThat(alert.alertId()).isEqualTo(DriftAlertId.forTarget(SCORING, RISK, 1, "(errors)"));
            assertThat(alert.severity()).isEqualTo(DriftSeverity.WARNING);
            assertThat(alert.finding().test()).isEqualTo(DriftTest.ERROR_RATE);
            assertThat(alert.finding().subject()).isEqualTo("the error rate");
            assertThat(alert.finding().statistic()).isCloseTo(0.3, within(1e-9));
            assertThat(alert.finding().threshold()).isEqualTo(0.2);
            assertThat(alert.finding().criticalThreshold()).isEqualTo(0.4);
            assertThat(alert.finding().windowRows()).isEqualTo(10);
            assertThat(alert.finding().histogram().live()).containsExactly(0.7, 0.3);
        });
        // the failed rows are not scores: the score window has 7 rows and closes at its 10th score
        for (int i = 0; i < 3; i++) {
            assertThat(detector.observe(low("more-" + i, 11 + i))).isEmpty();
        }
        assertThat(scoreWindows).containsExactly(10);
    }

    @Test
    void givenAnEndpointNotWatchingItsErrorRate_thenFailuresRaiseNothingAndFillNoWindow() {
        List<Integer> scoreWindows = new ArrayList<>();
        detector.onWindow(closed -> scoreWindows.add(closed.rows()));
        for (int i = 0; i < 30; i++) {
            assertThat(detector.observe(ScoreRecord.failed("bad-" + i, "scoring", "risk", 1, 1, T0, 500, 1)))
                    .isEmpty();
        }
        assertThat(scoreWindows).isEmpty();
    }

    @Test
    void givenEveryRowFailing_thenCritical_andOnceOpenTheNextWindowDoesNotAskAgain() {
        detector.apply(new DriftMonitorConfigured(SCORING, WATCHING_ERRORS));
        List<RaiseDriftAlert> first = detector.observe(ScoreRecord.failed("a", "scoring", "risk", 1, 1, T0, 400, 10));
        assertThat(first).singleElement().extracting(RaiseDriftAlert::severity).isEqualTo(DriftSeverity.CRITICAL);
        detector.raised(first.get(0).alertId(), DriftSeverity.CRITICAL);
        assertThat(detector.observe(ScoreRecord.failed("b", "scoring", "risk", 1, 1, T0, 400, 10))).isEmpty();
    }

    @Test
    void givenAMonitorThatStartsAgainFromItsCheckpoint_thenTheOpenErrorWindowCountsEachRowOnce() {
        detector.apply(new DriftMonitorConfigured(SCORING, WATCHING_ERRORS));
        List<ScoreRecord> log = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            log.add(i % 2 == 0 ? low("r-" + i, i) : ScoreRecord.failed("f-" + i, "scoring", "risk", 1, 1,
                    T0.plusSeconds(i), 400, 1));
        }
        for (int offset = 0; offset < 6; offset++) {
            assertThat(detector.observe(log.get(offset), 0, offset)).isEmpty();
        }
        var checkpoint = detector.checkpoint(0, 6);

        DriftDetector restarted = new DriftDetector(new DriftMonitorSettings(0.2, 500));
        restarted.apply(new DriftMonitorConfigured(SCORING, WATCHING_ERRORS));
        restarted.resume(0, checkpoint);
        List<RaiseDriftAlert> decided = new ArrayList<>();
        for (int offset = 0; offset < 10; offset++) {
            decided.addAll(restarted.observe(log.get(offset), 0, offset));
        }
        assertThat(decided).singleElement().satisfies(alert -> {
            assertThat(alert.finding().windowRows()).isEqualTo(10);
            assertThat(alert.finding().statistic()).isCloseTo(0.5, within(1e-9));
        });
    }
}
