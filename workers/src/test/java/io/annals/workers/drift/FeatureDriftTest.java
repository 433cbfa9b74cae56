package io.annals.workers.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.InputProfile;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.common.ScoreRecord;
import io.annals.command.api.drift.DriftFinding;
import io.annals.command.api.drift.DriftSeverity;
import io.annals.command.api.drift.DriftTest;
import io.annals.command.api.drift.RaiseDriftAlert;
import io.annals.command.api.endpoint.DriftMonitorConfigured;
import io.annals.command.api.endpoint.DriftMonitorSettings;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.endpoint.FeatureDriftRule;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingRunCompleted;
import io.annals.command.api.trainingrun.TrainingRunId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Drift of inputs, given a version trained on known rows and live rows shaped by each test: which feature is named,
 * by which test and how severely; windows by count and by time; a monitor that starts again mid-window.
 */
class FeatureDriftTest {

    private static final EndpointName SCORING = EndpointName.of("scoring");
    private static final ModelName RISK = ModelName.of("risk");
    private static final TrainingRunId RUN = TrainingRunId.of("run-1");
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final List<String> FEATURES = List.of("income", "age", "segment");
    private static final List<String> SEGMENTS = List.of("retail", "retail", "retail", "sme", "sme", "corporate");

    private final DriftDetector detector = new DriftDetector(new DriftMonitorSettings(0.2, 500));
    private final List<DriftDetector.ClosedWindow> closed = new ArrayList<>();

    /** A row like the training rows: income ~ N(50, 10), age ~ N(40, 12), segment retail/sme/corporate 3:2:1. */
    private static Object[] trainingLike(Random random) {
        return new Object[] {(float) (50 + 10 * random.nextGaussian()), (float) (40 + 12 * random.nextGaussian()),
                SEGMENTS.get(random.nextInt(SEGMENTS.size()))};
    }

    /** The events of a version trained on 5,000 rows like {@link #trainingLike}, watched in windows of 1,000. */
    private static void givenAVersionTrainedOnFiveThousandRows(DriftDetector detector) {
        Random random = new Random(7);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            rows.add(trainingLike(random));
        }
        InputProfile profile = InputProfiles.of(FEATURES, List.of(true, true, false), rows);
        detector.apply(new TrainingRunCompleted(RUN, RISK, Task.BINARY_CLASSIFICATION, List.of(), FEATURES, "w",
                new ArtifactRef("s3://annals/m.zip", "e".repeat(64), 1), Map.of(),
                new ScoreBaseline(List.of(0.5), List.of(0.5, 0.5), 5_000), null, profile));
        detector.apply(new ModelVersionRegistered(RISK, 1, RUN, Task.BINARY_CLASSIFICATION, FEATURES,
                new ArtifactRef("s3://annals/m.zip", "e".repeat(64), 1), Map.of(),
                new ScoreBaseline(List.of(0.5), List.of(0.5, 0.5), 5_000)));
        detector.apply(new DriftMonitorConfigured(SCORING, 0.2, 1_000, 900, 0.4, List.of()));
    }

    @BeforeEach
    void givenAVersionTrainedOnFiveThousandRows() {
        givenAVersionTrainedOnFiveThousandRows(detector);
        detector.onWindow(closed::add);
    }

    /** A live row: its score alternates below and above 0.5, like the baseline, whatever its features. */
    private static ScoreRecord live(int i, Object[] values, Instant at) {
        Map<String, Object> features = new HashMap<>();
        for (int j = 0; j < FEATURES.size(); j++) {
            Object v = values[j];
            features.put(FEATURES.get(j), v instanceof Float f ? (Object) f.doubleValue() : v);
        }
        return new ScoreRecord("req-" + i, "scoring", "risk", 1, 1, i % 2 == 0 ? 0.25 : 0.75, at, null, false, null,
                features);
    }

    private List<RaiseDriftAlert> feed(int from, int to, IntFunction<Object[]> values) {
        List<RaiseDriftAlert> alerts = new ArrayList<>();
        for (int i = from; i < to; i++) {
            alerts.addAll(detector.observe(live(i, values.apply(i), T0.plusMillis(i)), 0, i));
        }
        return alerts;
    }

    @Test
    void givenLiveRowsLikeTraining_thenTheWindowClosesWithNothingDrifted() {
        Random random = new Random(11);
        assertThat(feed(0, 1_000, i -> trainingLike(random))).isEmpty();
        assertThat(closed).singleElement().satisfies(w -> {
            assertThat(w.rows()).isEqualTo(1_000);
            assertThat(w.featuresTested()).isEqualTo(3);
            assertThat(w.scorePsi()).isLessThan(0.01);
            assertThat(w.drifted()).isEmpty();
        });
    }

    @Test
    void givenIncomeInThousandsUpstream_whileScoresLookTheSame_thenOneCriticalAlertNamesIncome() {
        Random random = new Random(11);
        List<RaiseDriftAlert> alerts = feed(0, 1_000, i -> {
            Object[] row = trainingLike(random);
            row[0] = (Float) row[0] / 1000f;
            return row;
        });

        assertThat(closed.get(0).scorePsi()).as("the score did not move").isLessThan(0.01);
        RaiseDriftAlert alert = alerts.stream().filter(a -> a.finding() != null).findFirst().orElseThrow();
        assertThat(alerts).hasSize(1);
        DriftFinding finding = alert.finding();
        assertThat(finding.feature()).isEqualTo("income");
        assertThat(finding.test()).as("Evidently's default for a sample of at most 1,000 numbers")
                .isEqualTo(DriftTest.KOLMOGOROV_SMIRNOV);
        assertThat(finding.statistic()).as("no live value above the reference's minimum").isGreaterThan(0.99);
        assertThat(finding.pValue()).isLessThan(1e-12);
        assertThat(finding.threshold()).as("0.05 shared by the three features tested").isCloseTo(0.05 / 3,
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(finding.severity()).isEqualTo(DriftSeverity.CRITICAL);
        assertThat(finding.windowRows()).isEqualTo(1_000);
        assertThat(finding.windowStart()).isEqualTo(T0);
        assertThat(finding.windowEnd()).isEqualTo(T0.plusMillis(999));
        assertThat(finding.histogram().bins()).hasSize(10);
        assertThat(finding.histogram().live().get(0)).as("every live value below the first decile").isEqualTo(1.0);
        assertThat(alert.alertId().value()).isEqualTo("scoring~risk~v1~f:income");
    }

    @Test
    void givenWindowsOfMoreThanAThousandRows_thenANumericFeatureIsComparedByNormalisedWasserstein() {
        detector.apply(new DriftMonitorConfigured(SCORING, 0.2, 2_000, 900, 0.4, List.of()));
        Random random = new Random(11);
        List<RaiseDriftAlert> alerts = feed(0, 2_000, i -> {
            Object[] row = trainingLike(random);
            row[0] = (Float) row[0] + 5f;
            return row;
        });
        assertThat(closed.get(0).drifted()).as("only income moved").singleElement().satisfies(finding -> {
            assertThat(finding.feature()).isEqualTo("income");
            assertThat(finding.test()).isEqualTo(DriftTest.WASSERSTEIN_NORMED);
            assertThat(finding.statistic()).as("half a standard deviation").isCloseTo(0.5,
                    org.assertj.core.data.Offset.offset(0.05));
            assertThat(finding.pValue()).isNull();
            assertThat(finding.threshold()).isEqualTo(0.1);
            assertThat(finding.severity()).isEqualTo(DriftSeverity.CRITICAL);
        });
        assertThat(alerts).hasSize(1);
    }

    @Test
    void givenANewCategory_thenTheSegmentDriftsByChiSquareWithTheUnseenBinShown() {
        Random random = new Random(11);
        List<RaiseDriftAlert> alerts = feed(0, 1_000, i -> {
            Object[] row = trainingLike(random);
            if (i % 3 == 0) {
                row[2] = "public-sector";
            }
            return row;
        });
        DriftFinding finding = alerts.stream().map(RaiseDriftAlert::finding).filter(f -> f.feature() != null)
                .findFirst().orElseThrow();
        assertThat(finding.feature()).isEqualTo("segment");
        assertThat(finding.test()).isEqualTo(DriftTest.CHI_SQUARE);
        assertThat(finding.pValue()).isLessThan(1e-12);
        assertThat(finding.histogram().bins()).containsExactly("retail", "sme", "corporate", "(unseen)");
        assertThat(finding.histogram().live().get(3)).isCloseTo(334 / 1000.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(finding.histogram().reference().get(3)).isZero();
    }

    @Test
    void givenAgeAlwaysEmpty_aBrokenJoin_thenAgeDriftsOnItsMissingShare() {
        Random random = new Random(11);
        List<RaiseDriftAlert> alerts = feed(0, 1_000, i -> {
            Object[] row = trainingLike(random);
            row[1] = null;
            return row;
        });
        DriftFinding finding = alerts.stream().map(RaiseDriftAlert::finding).filter(f -> "age".equals(f.feature()))
                .findFirst().orElseThrow();
        assertThat(finding.test()).as("no live value to compare distributions with").isEqualTo(DriftTest.PSI);
        assertThat(finding.histogram().bins()).last().isEqualTo("(missing)");
        assertThat(finding.severity()).isEqualTo(DriftSeverity.CRITICAL);
    }

    @Nested
    class Rules {

        @Test
        void givenAFeatureSwitchedOff_thenItIsNotTested() {
            detector.apply(new DriftMonitorConfigured(SCORING, 0.2, 1_000, 900, 0.4,
                    List.of(new FeatureDriftRule("income", null, null, null, false))));
            Random random = new Random(11);
            assertThat(feed(0, 1_000, i -> {
                Object[] row = trainingLike(random);
                row[0] = 0f;
                return row;
            })).isEmpty();
            assertThat(closed.get(0).featuresTested()).isEqualTo(2);
        }

        @Test
        void givenATestAndThresholdsForAFeature_thenTheyDecide() {
            // a mean shift of a fifth of a standard deviation: a Kolmogorov-Smirnov warning, not critical
            detector.apply(new DriftMonitorConfigured(SCORING, 0.2, 1_000, 900, 0.4,
                    List.of(new FeatureDriftRule("income", DriftTest.KOLMOGOROV_SMIRNOV, 0.05, 1e-12, true))));
            Random random = new Random(11);
            List<RaiseDriftAlert> alerts = feed(0, 1_000, i -> {
                Object[] row = trainingLike(random);
                row[0] = (Float) row[0] + 2f;
                return row;
            });
            DriftFinding finding = alerts.get(0).finding();
            assertThat(finding.feature()).isEqualTo("income");
            assertThat(finding.test()).isEqualTo(DriftTest.KOLMOGOROV_SMIRNOV);
            assertThat(finding.pValue()).isLessThan(0.05).isGreaterThan(1e-12);
            assertThat(finding.severity()).isEqualTo(DriftSeverity.WARNING);
            assertThat(finding.criticalThreshold()).isEqualTo(1e-12);
        }
    }

    @Nested
    class WindowsByTime {

        @Test
        void givenARowPastTheWindowTime_thenTheWindowClosesBeforeIt() {
            detector.apply(new DriftMonitorConfigured(SCORING, 0.2, 1_000, 60, 0.4, List.of()));
            Random random = new Random(11);
            for (int i = 0; i < 100; i++) {
                detector.observe(live(i, trainingLike(random), T0.plusMillis(i * 100L)), 0, i);
            }
            assertThat(closed).isEmpty();
            detector.observe(live(100, trainingLike(random), T0.plusSeconds(61)), 0, 100);
            assertThat(closed).singleElement().satisfies(w -> {
                assertThat(w.rows()).isEqualTo(100);
                assertThat(w.end()).isEqualTo(T0.plusMillis(9_900));
            });
        }

        @Test
        void givenAQuietEndpoint_thenItsWindowClosesWhenItsTimeHasPassed_butNotWithTooFewRows() {
            detector.apply(new DriftMonitorConfigured(SCORING, 0.2, 1_000, 60, 0.4, List.of()));
            Random random = new Random(11);
            for (int i = 0; i < DriftDetector.MIN_ROWS_BY_TIME - 1; i++) {
                detector.observe(live(i, trainingLike(random), T0), 0, i);
            }
            assertThat(detector.expire(T0.plusSeconds(3_600))).isEmpty();
            assertThat(closed).as("too few rows to test: the window stays open").isEmpty();

            detector.observe(live(99, trainingLike(random), T0.plusSeconds(1)), 0, 99);
            assertThat(detector.expire(T0.plusSeconds(59))).isEmpty();
            assertThat(closed).isEmpty();
            detector.expire(T0.plusSeconds(60));
            assertThat(closed).singleElement().extracting(DriftDetector.ClosedWindow::rows)
                    .isEqualTo(DriftDetector.MIN_ROWS_BY_TIME);
        }
    }

    @Nested
    class Restarts {

        /** Rows of two endpoints interleaved in one partition: "scoring" (even offsets) and "other" (odd). */
        private ScoreRecord record(long offset, Random random) {
            ScoreRecord row = live((int) offset, trainingLike(random), T0.plusMillis(offset));
            return offset % 2 == 0 ? row : new ScoreRecord(row.requestId(), "other", row.model(), row.version(),
                    row.revision(), row.score(), row.at(), null, false, null, row.features());
        }

        @Test
        void givenAMonitorStoppedMidWindow_whenAnotherResumesFromItsCheckpoint_thenEveryRowCountsOnce() {
            detector.apply(new DriftMonitorConfigured(EndpointName.of("other"), 0.2, 100, 900, 0.4, List.of()));
            List<ScoreRecord> log = new ArrayList<>();
            Random random = new Random(3);
            for (long offset = 0; offset < 2_000; offset++) {
                log.add(record(offset, random));
            }
            // the first monitor reads 1,300 records: "other" closed 6 windows of 100 and has 50 rows open,
            // "scoring" has 650 rows of its window of 1,000 open
            for (int offset = 0; offset < 1_300; offset++) {
                detector.observe(log.get(offset), 0, offset);
            }
            WindowCheckpoint committed = WindowCheckpoint.decode(detector.checkpoint(0, 1_300).encode());
            assertThat(committed.offset()).as("where the oldest open window starts").isZero();
            assertThat(closed).hasSize(6);

            DriftDetector second = new DriftDetector(new DriftMonitorSettings(0.2, 500));
            List<DriftDetector.ClosedWindow> closedAfter = new ArrayList<>();
            givenAVersionTrainedOnFiveThousandRows(second);
            second.apply(new DriftMonitorConfigured(EndpointName.of("other"), 0.2, 100, 900, 0.4, List.of()));
            second.onWindow(closedAfter::add);
            second.resume(0, committed);
            assertThat(second.checkpoint(0, 5)).as("a crash while re-reading starts over from the same place")
                    .isEqualTo(committed);
            for (int offset = (int) committed.offset(); offset < 2_000; offset++) {
                second.observe(log.get(offset), 0, offset);
            }
            assertThat(closedAfter).extracting(DriftDetector.ClosedWindow::endpoint)
                    .containsExactly("other", "other", "other", "scoring", "other");
            DriftDetector.ClosedWindow scoring = closedAfter.get(3);
            assertThat(scoring.rows()).isEqualTo(1_000);
            assertThat(scoring.start()).as("the window that was open, not one started after the restart")
                    .isEqualTo(T0);
            assertThat(scoring.end()).isEqualTo(T0.plusMillis(1_998));
            assertThat(closedAfter.get(0).start()).as("other's open window: its 50 rows kept, none twice")
                    .isEqualTo(T0.plusMillis(1_201));
            assertThat(closedAfter.get(0).rows()).isEqualTo(100);
        }
    }
}
