package io.annals.workers.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.command.api.common.ArtifactRef;
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
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.workers.events.EventEnvelope;
import io.annals.workers.events.RetainedEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A drift monitor started from a snapshot knows what one that read the whole log knows: the events it keeps are
 * each version's references, each endpoint's latest settings and the alerts still open, and a detector fed only
 * those decides every window as the other.
 */
class DriftSnapshotTest {

    private static final EndpointName SCORING = EndpointName.of("scoring");
    private static final ModelName RISK = ModelName.of("risk");
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private static EventEnvelope e(Object payload) {
        return new EventEnvelope(UUID.randomUUID().toString(), payload.getClass().getSimpleName(), "test", T0,
                "service:test", "c", payload);
    }

    private static ModelVersionRegistered version(int version) {
        return new ModelVersionRegistered(RISK, version, TrainingRunId.of("run-" + version),
                Task.BINARY_CLASSIFICATION, List.of("x"), new ArtifactRef("s3://annals/m" + version + ".zip",
                "e".repeat(64), 1), Map.of(), new ScoreBaseline(List.of(0.5), List.of(0.8, 0.2), 1_000));
    }

    /** Ten scores of the version: {@code high} of them above 0.5. */
    private static List<List<RaiseDriftAlert>> window(DriftDetector detector, int version, int high) {
        List<List<RaiseDriftAlert>> decisions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            decisions.add(detector.observe(new ScoreRecord("req-" + version + "-" + i, "scoring", "risk", version,
                    version, i < high ? 0.9 : 0.1, T0.plusSeconds(i))));
        }
        return decisions;
    }

    @Test
    void givenAHistory_whenADetectorIsFedOnlyWhatTheMonitorKept_thenItDecidesEveryWindowAsTheOne() {
        DriftAlertId first = DriftAlertId.forTarget(SCORING, RISK, 1);
        DriftAlertId second = DriftAlertId.forTarget(SCORING, RISK, 2);
        // a critical finding on version 2, as a monitor would have made it
        DriftDetector scratch = new DriftDetector(new DriftMonitorSettings(0.2, 10));
        scratch.apply(version(2));
        DriftFinding critical = window(scratch, 2, 8).get(9).get(0).finding();
        assertThat(critical.severity()).isEqualTo(DriftSeverity.CRITICAL);
        List<EventEnvelope> history = List.of(e(version(1)), e(new DriftMonitorConfigured(SCORING, 0.2, 50)),
                e(version(2)), e(new DriftMonitorConfigured(SCORING, 0.2, 10)),
                e(new DriftAlertRaised(first, 1, SCORING, RISK, 1, 0.9, 0.2, 10, T0)),
                e(new DriftAlertResolved(first, 1, "fixed")),
                e(new DriftAlertRaised(second, 1, SCORING, RISK, 2, 0.9, 0.2, 10, T0)),
                e(new DriftAlertEscalated(second, 1, SCORING, RISK, 2, critical)));
        DriftDetector whole = new DriftDetector(new DriftMonitorSettings(0.2, 500));
        RetainedEvents kept = new RetainedEvents();
        for (EventEnvelope event : history) {
            whole.apply(event.payload());
            DriftMonitor.retain(kept, event);
        }

        assertThat(kept.events()).extracting(EventEnvelope::payload).containsExactly(version(1),
                new DriftMonitorConfigured(SCORING, 0.2, 10), version(2),
                new DriftAlertRaised(second, 1, SCORING, RISK, 2, 0.9, 0.2, 10, T0),
                new DriftAlertEscalated(second, 1, SCORING, RISK, 2, critical));

        DriftDetector restored = new DriftDetector(new DriftMonitorSettings(0.2, 500));
        kept.events().forEach(event -> restored.apply(event.payload()));
        List<List<RaiseDriftAlert>> wholeFirst = window(whole, 1, 8);
        List<List<RaiseDriftAlert>> wholeSecond = window(whole, 2, 8);
        // the resolved alert's version is alerted again; the version whose alert is open at CRITICAL is not
        assertThat(wholeFirst.get(9)).singleElement().extracting(RaiseDriftAlert::alertId).isEqualTo(first);
        assertThat(wholeSecond).allMatch(List::isEmpty);
        assertThat(window(restored, 1, 8)).isEqualTo(wholeFirst);
        assertThat(window(restored, 2, 8)).isEqualTo(wholeSecond);
    }
}
