package io.annals.query.trainingrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingrun.EpochView;
import io.annals.command.api.trainingrun.FindTrainingRun;
import io.annals.command.api.trainingrun.Hyperparameters;
import io.annals.command.api.trainingrun.Metric;
import io.annals.command.api.trainingrun.RunStatus;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingEpochCompleted;
import io.annals.command.api.trainingrun.TrainingRunClaimed;
import io.annals.command.api.trainingrun.TrainingRunCompleted;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.api.trainingrun.TrainingRunLeaseExpired;
import io.annals.command.api.trainingrun.TrainingRunRequested;
import io.annals.command.api.trainingrun.TrainingRunView;
import io.annals.query.elastic.InMemoryReadModels;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.junit.jupiter.api.Test;

class TrainingRunProjectionTest {

    private static final TrainingRunId RUN = TrainingRunId.of("run-1");
    private static final ModelName RISK = ModelName.of("risk");
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final ArtifactRef ARTIFACT = new ArtifactRef("s3://annals/models/risk.zip", "b".repeat(64), 10);
    private static final ScoreBaseline BASELINE = new ScoreBaseline(List.of(0.5), List.of(0.4, 0.6), 50);

    private final InMemoryReadModels store = new InMemoryReadModels();
    private final QueryUpdateEmitter updates = mock(QueryUpdateEmitter.class);
    private final TrainingRunProjection projection = new TrainingRunProjection(store, updates);

    private static GlobalSequenceTrackingToken at(long position) {
        return new GlobalSequenceTrackingToken(position);
    }

    private void requested() {
        BatchRef batch = new BatchRef(DatasetName.of("loans"), BatchId.of("b1"));
        projection.on(new TrainingRunRequested(RUN, RISK, Task.BINARY_CLASSIFICATION, List.of(batch), List.of("x"),
                        "label", Hyperparameters.DEFAULTS, 7, List.of(new BatchInput(batch, "s3://annals/b1.csv",
                        "a".repeat(64), 100)), null), T0, "user:alice", "corr-1", at(10));
    }

    private void epoch(int epoch, double loss, long position) {
        projection.on(new TrainingEpochCompleted(RUN, epoch, 3, loss, loss + 0.1, Map.of("auc", 0.9),
                T0.plusSeconds(120)), T0.plusSeconds(position), at(position));
    }

    @Test
    void givenARunThatTrainsAndIsRegistered_thenTheDocumentFollowsEveryStep() {
        requested();
        projection.on(new TrainingRunClaimed(RUN, "w1", 1, T0.plusSeconds(60)), T0.plusSeconds(1), at(11));
        epoch(1, 0.7, 12);
        epoch(2, 0.5, 13);
        projection.on(new TrainingRunCompleted(RUN, RISK, Task.BINARY_CLASSIFICATION, List.of(), List.of("x"), "w1",
                ARTIFACT, Map.of("auc", 0.93), BASELINE), T0.plusSeconds(20), at(14));
        projection.on(new ModelVersionRegistered(RISK, 3, RUN, Task.BINARY_CLASSIFICATION, List.of("x"), ARTIFACT,
                Map.of("auc", 0.93), BASELINE), T0.plusSeconds(21), at(15));

        TrainingRunView run = store.one(TrainingRunProjection.RUNS, "run-1");
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.workerId()).isEqualTo("w1");
        assertThat(run.epochs()).extracting(EpochView::epoch).containsExactly(1, 2);
        assertThat(run.metrics()).containsExactly(new Metric("auc", 0.93));
        assertThat(run.artifact()).isEqualTo(ARTIFACT);
        assertThat(run.baseline()).isEqualTo(BASELINE);
        assertThat(run.modelVersion()).isEqualTo(3);
        assertThat(run.finishedAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(run.requestedBy().value()).isEqualTo("user:alice");
        assertThat(run.correlationId()).isEqualTo("corr-1");
        assertThat(run.batches()).singleElement().satisfies(b -> assertThat(b.batchId()).isEqualTo("b1"));
        assertThat(run.position()).isEqualTo(15);
        verify(updates, times(6)).emit(eq(FindTrainingRun.class), any(Predicate.class), any(TrainingRunView.class));
    }

    @Test
    void givenAnEpochRecordedAgainByANewAttempt_thenItReplacesTheEarlierOne() {
        requested();
        projection.on(new TrainingRunClaimed(RUN, "w1", 1, T0.plusSeconds(60)), T0, at(11));
        epoch(1, 0.9, 12);
        projection.on(new TrainingRunLeaseExpired(RUN, "w1", 1), T0.plusSeconds(70), at(13));
        assertThat(store.one(TrainingRunProjection.RUNS, "run-1").status()).isEqualTo(RunStatus.REQUESTED);
        projection.on(new TrainingRunClaimed(RUN, "w2", 2, T0.plusSeconds(160)), T0.plusSeconds(100), at(14));
        epoch(1, 0.6, 15);

        TrainingRunView run = store.one(TrainingRunProjection.RUNS, "run-1");
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.attempt()).isEqualTo(2);
        assertThat(run.epochs()).singleElement().extracting(EpochView::trainLoss).isEqualTo(0.6);
    }

    @Test
    void givenEventsDeliveredTwice_thenNothingChangesAndNothingIsPushedAgain() {
        requested();
        epoch(1, 0.7, 12);
        TrainingRunView before = store.one(TrainingRunProjection.RUNS, "run-1");
        requested();
        epoch(1, 0.1, 12);

        assertThat(store.one(TrainingRunProjection.RUNS, "run-1")).isEqualTo(before);
        verify(updates, times(2)).emit(eq(FindTrainingRun.class), any(Predicate.class), any(TrainingRunView.class));
    }

    private static DomainEventMessage<?> inStream(String stream, long sequence, Object payload) {
        return new GenericDomainEventMessage<>("annals", stream, sequence, payload);
    }

    @Test
    void everyEventOfARunIsSequencedByTheRun_itsModelsRegistrationOfItToo() {
        TrainingRunCompleted completed = new TrainingRunCompleted(RUN, RISK, Task.BINARY_CLASSIFICATION, List.of(),
                List.of("x"), "w1", ARTIFACT, Map.of("auc", 0.93), BASELINE);
        ModelVersionRegistered registered = new ModelVersionRegistered(RISK, 3, RUN, Task.BINARY_CLASSIFICATION,
                List.of("x"), ARTIFACT, Map.of("auc", 0.93), BASELINE);
        ModelVersionRegistered imported = new ModelVersionRegistered(RISK, 4, null, Task.BINARY_CLASSIFICATION,
                List.of("x"), ARTIFACT, Map.of(), BASELINE);

        Object byCompletion = TrainingRunProjection.BY_RUN.getSequenceIdentifierFor(
                inStream("run:run-1", 2, completed));
        Object byRegistration = TrainingRunProjection.BY_RUN.getSequenceIdentifierFor(
                inStream("model:risk", 3, registered));
        Object otherRun = TrainingRunProjection.BY_RUN.getSequenceIdentifierFor(inStream("run:run-2", 0,
                new TrainingRunLeaseExpired(TrainingRunId.of("run-2"), "w1", 1)));

        assertThat(byRegistration).as("the model's stream, the run's sequence").isEqualTo(byCompletion)
                .isEqualTo("run-1");
        assertThat(otherRun).isEqualTo("run-2");
        assertThat(TrainingRunProjection.BY_RUN.getSequenceIdentifierFor(inStream("model:risk", 4, imported)))
                .as("a version without a run: its stream").isEqualTo("model:risk");
        // with the projection split in two, each segment takes whole runs
        Segment[] halves = Segment.ROOT_SEGMENT.split();
        assertThat(Arrays.stream(halves).filter(h -> h.matches(byCompletion)).toList())
                .containsExactlyElementsOf(Arrays.stream(halves).filter(h -> h.matches(byRegistration))
                        .toList()).hasSize(1);
    }
}
