package io.annals.query.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.model.AliasView;
import io.annals.command.api.model.EvaluationId;
import io.annals.command.api.model.EvaluationView;
import io.annals.command.api.model.ModelEvaluationRequested;
import io.annals.command.api.model.ModelVersionEvaluated;
import io.annals.command.api.model.ModelAliasAssigned;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.model.ModelVersionView;
import io.annals.command.api.model.ModelView;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingrun.Metric;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.query.elastic.InMemoryReadModels;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.junit.jupiter.api.Test;

class ModelProjectionTest {

    private static final ModelName RISK = ModelName.of("risk");
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final InMemoryReadModels store = new InMemoryReadModels();
    private final ModelProjection projection = new ModelProjection(store);

    private void registered(int version, long position) {
        projection.on(new ModelVersionRegistered(RISK, version, TrainingRunId.of("run-" + version),
                Task.BINARY_CLASSIFICATION, List.of("x"), new ArtifactRef("s3://annals/v" + version, "c".repeat(64), 5),
                Map.of("auc", 0.9, "accuracy", 0.8), new ScoreBaseline(List.of(), List.of(1.0), 10)),
                T0.plusSeconds(position), "service:training-worker/w1", new GlobalSequenceTrackingToken(position));
    }

    @Test
    void givenTwoVersionsAndAnAliasMoved_thenTheAliasIsOnTheNewVersionOnly() {
        registered(1, 1);
        registered(2, 2);
        projection.on(new ModelAliasAssigned(RISK, "champion", 1, null), T0, new GlobalSequenceTrackingToken(3));
        projection.on(new ModelAliasAssigned(RISK, "champion", 2, 1), T0, new GlobalSequenceTrackingToken(4));

        ModelView model = store.one(ModelProjection.MODELS, "risk");
        assertThat(model.latestVersion()).isEqualTo(2);
        assertThat(model.aliases()).containsExactly(new AliasView("champion", 2));
        assertThat(model.createdAt()).isEqualTo(T0.plusSeconds(1));

        ModelVersionView v1 = store.one(ModelProjection.VERSIONS, "risk#1");
        ModelVersionView v2 = store.one(ModelProjection.VERSIONS, "risk#2");
        assertThat(v1.aliases()).isEmpty();
        assertThat(v2.aliases()).containsExactly("champion");
        assertThat(v2.runId()).isEqualTo("run-2");
        assertThat(v2.metrics()).containsExactly(new Metric("accuracy", 0.8), new Metric("auc", 0.9));
        assertThat(v2.registeredBy().value()).isEqualTo("service:training-worker/w1");
    }

    @Test
    void givenAVersionDeliveredTwice_thenTheModelIsUnchanged() {
        registered(1, 1);
        registered(2, 2);
        ModelView before = store.one(ModelProjection.MODELS, "risk");
        registered(1, 1);

        assertThat(store.one(ModelProjection.MODELS, "risk")).isEqualTo(before);
    }

    @Test
    void givenAnEvaluationRequestedThenCompleted_thenTheVersionShowsIt_andARedeliveryChangesNothing() {
        registered(1, 1);
        EvaluationId id = EvaluationId.of("e1");
        BatchRef batch = new BatchRef(DatasetName.of("holdout"), BatchId.of("b9"));
        projection.on(new ModelEvaluationRequested(RISK, 1, id, new BatchInput(batch, "s3://annals/b9.csv",
                        "d".repeat(64), 100), new ArtifactRef("s3://annals/v1", "c".repeat(64), 5),
                        Task.BINARY_CLASSIFICATION, List.of("x")), T0.plusSeconds(5), "user:alice",
                new GlobalSequenceTrackingToken(5));
        assertThat(store.<ModelVersionView>one(ModelProjection.VERSIONS, "risk#1").evaluations())
                .extracting(EvaluationView::status).containsExactly("REQUESTED");
        projection.on(new ModelVersionEvaluated(RISK, 1, id, batch, 100, Map.of("auc", 0.75)), T0.plusSeconds(9),
                new GlobalSequenceTrackingToken(6));
        ModelVersionView evaluated = store.one(ModelProjection.VERSIONS, "risk#1");
        projection.on(new ModelVersionEvaluated(RISK, 1, id, batch, 100, Map.of("auc", 0.75)), T0.plusSeconds(9),
                new GlobalSequenceTrackingToken(6));

        assertThat(store.<ModelVersionView>one(ModelProjection.VERSIONS, "risk#1")).isEqualTo(evaluated);
        assertThat(evaluated.evaluations()).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo("COMPLETED");
            assertThat(e.dataset()).isEqualTo("holdout");
            assertThat(e.batchId()).isEqualTo("b9");
            assertThat(e.rows()).isEqualTo(100);
            assertThat(e.metrics()).containsExactly(new Metric("auc", 0.75));
            assertThat(e.requestedBy().value()).isEqualTo("user:alice");
            assertThat(e.requestedAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(e.finishedAt()).isEqualTo(T0.plusSeconds(9));
        });
    }
}
