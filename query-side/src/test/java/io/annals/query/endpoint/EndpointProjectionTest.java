package io.annals.query.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.endpoint.DriftMonitorConfigured;
import io.annals.command.api.endpoint.DriftMonitorSettings;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.endpoint.EndpointRevisionDeployed;
import io.annals.command.api.endpoint.EndpointRolledBack;
import io.annals.command.api.endpoint.EndpointView;
import io.annals.command.api.endpoint.RevisionKind;
import io.annals.command.api.endpoint.RevisionView;
import io.annals.command.api.endpoint.RolloutPolicy;
import io.annals.command.api.endpoint.RolloutPolicyConfigured;
import io.annals.command.api.endpoint.ServingTarget;
import io.annals.command.api.endpoint.ShadowComparison;
import io.annals.command.api.endpoint.ShadowComparisonRecorded;
import io.annals.command.api.endpoint.ShadowSummary;
import io.annals.command.api.endpoint.TargetView;
import io.annals.command.api.model.ModelName;
import io.annals.query.elastic.InMemoryReadModels;
import java.time.Instant;
import java.util.List;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.junit.jupiter.api.Test;

class EndpointProjectionTest {

    private static final EndpointName SCORING = EndpointName.of("scoring");
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final InMemoryReadModels store = new InMemoryReadModels();
    private final EndpointProjection projection = new EndpointProjection(store);

    private static ServingTarget target(int version, int percent) {
        return new ServingTarget(ModelName.of("risk"), version, percent,
                new ArtifactRef("s3://annals/v" + version, "d".repeat(64), 5), List.of("x"));
    }

    @Test
    void givenDeployCanaryAndRollback_thenEveryRevisionIsKeptAndTheRollbackServesWhatRevisionOneServed() {
        projection.on(new EndpointRevisionDeployed(SCORING, 1, List.of(target(1, 100)), "first"), T0, "user:alice",
                new GlobalSequenceTrackingToken(1));
        projection.on(new EndpointRevisionDeployed(SCORING, 2, List.of(target(1, 90), target(2, 10)), "canary"),
                T0.plusSeconds(60), "user:alice", new GlobalSequenceTrackingToken(2));
        projection.on(new EndpointRolledBack(SCORING, 2, 1, 3, List.of(target(1, 100)), "drift"),
                T0.plusSeconds(120), "user:bob", new GlobalSequenceTrackingToken(3));
        projection.on(new DriftMonitorConfigured(SCORING, 0.3, 200), T0.plusSeconds(130),
                new GlobalSequenceTrackingToken(4));
        projection.on(new RolloutPolicyConfigured(SCORING, true, 0.25), T0.plusSeconds(140),
                new GlobalSequenceTrackingToken(5));

        EndpointView endpoint = store.one(EndpointProjection.ENDPOINTS, "scoring");
        assertThat(endpoint.currentRevision()).isEqualTo(3);
        assertThat(endpoint.targets()).containsExactly(new TargetView("risk", 1, 100));
        assertThat(endpoint.revisions()).extracting(RevisionView::kind)
                .containsExactly(RevisionKind.DEPLOY, RevisionKind.DEPLOY, RevisionKind.ROLLBACK);
        RevisionView rollback = endpoint.revisions().get(2);
        assertThat(rollback.fromRevision()).isEqualTo(2);
        assertThat(rollback.restoredRevision()).isEqualTo(1);
        assertThat(rollback.by().value()).isEqualTo("user:bob");
        assertThat(endpoint.servedVersions()).containsExactly("risk#1", "risk#2");
        assertThat(endpoint.driftMonitor()).isEqualTo(new DriftMonitorSettings(0.3, 200));
        assertThat(endpoint.createdAt()).isEqualTo(T0);
        assertThat(endpoint.rolloutPolicy()).isEqualTo(new RolloutPolicy(true, 0.25, T0.plusSeconds(140)));
        assertThat(endpoint.updatedAt()).isEqualTo(T0.plusSeconds(140));
    }

    @Test
    void givenARevisionDeliveredTwice_thenItIsRecordedOnce() {
        EndpointRevisionDeployed first = new EndpointRevisionDeployed(SCORING, 1, List.of(target(1, 100)), null);
        projection.on(first, T0, "user:alice", new GlobalSequenceTrackingToken(1));
        projection.on(first, T0, "user:alice", new GlobalSequenceTrackingToken(1));

        assertThat(store.one(EndpointProjection.ENDPOINTS, "scoring").revisions()).hasSize(1);
    }

    @Test
    void givenShadowWindows_thenTheyAreSummedUpPerPairOfVersionsAndAWindowDeliveredTwiceCountsOnce() {
        ServingTarget shadow = new ServingTarget(ModelName.of("risk"), 2, 20,
                new ArtifactRef("s3://annals/v2", "d".repeat(64), 5), List.of("x"), null, true);
        projection.on(new EndpointRevisionDeployed(SCORING, 1, List.of(target(1, 100)), "first"), T0, "user:alice",
                new GlobalSequenceTrackingToken(1));
        projection.on(new EndpointRevisionDeployed(SCORING, 2, List.of(target(1, 100), shadow), "shadow"),
                T0.plusSeconds(60), "user:alice", new GlobalSequenceTrackingToken(2));
        ShadowComparison first = new ShadowComparison("risk", 2, "risk", 1, 100, 0.9, 0.05, 0.6, 0.55,
                T0.plusSeconds(120));
        ShadowComparison second = new ShadowComparison("risk", 2, "risk", 1, 300, 0.7, 0.09, 0.5, 0.45,
                T0.plusSeconds(180));
        projection.on(new ShadowComparisonRecorded(SCORING, "w1", first), new GlobalSequenceTrackingToken(3));
        projection.on(new ShadowComparisonRecorded(SCORING, "w2", second), new GlobalSequenceTrackingToken(4));
        projection.on(new ShadowComparisonRecorded(SCORING, "w2", second), new GlobalSequenceTrackingToken(4));

        EndpointView endpoint = store.one(EndpointProjection.ENDPOINTS, "scoring");
        assertThat(endpoint.targets()).containsExactly(new TargetView("risk", 1, 100, false),
                new TargetView("risk", 2, 20, true));
        assertThat(endpoint.shadowComparisons()).hasSize(1);
        ShadowSummary summary = endpoint.shadowComparisons().get(0);
        assertThat(summary.windows()).isEqualTo(2);
        assertThat(summary.rows()).isEqualTo(400);
        assertThat(summary.agreement()).isCloseTo((0.9 * 100 + 0.7 * 300) / 400, within(1e-9));
        assertThat(summary.meanAbsoluteDifference()).isCloseTo((0.05 * 100 + 0.09 * 300) / 400, within(1e-9));
        assertThat(summary.firstWindowEnd()).isEqualTo(T0.plusSeconds(120));
        assertThat(summary.latest()).isEqualTo(second);
    }
}
