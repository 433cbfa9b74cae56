package io.annals.query.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.annals.command.api.common.Actor;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.pipeline.FindPipelineRuns;
import io.annals.command.api.pipeline.PipelineCandidateTrained;
import io.annals.command.api.pipeline.PipelineCause;
import io.annals.command.api.pipeline.PipelineGateDecided;
import io.annals.command.api.pipeline.PipelineName;
import io.annals.command.api.pipeline.PipelineRunFinished;
import io.annals.command.api.pipeline.PipelineRunId;
import io.annals.command.api.pipeline.PipelineRunStarted;
import io.annals.command.api.pipeline.PipelineRunState.Outcome;
import io.annals.command.api.pipeline.PipelineRunState.Purpose;
import io.annals.command.api.pipeline.PipelineRunState.Step;
import io.annals.command.api.pipeline.PipelineTrainingSetReady;
import io.annals.command.api.trainingset.TrainingSetId;
import io.annals.command.api.trainingset.TrainingSetOutput;
import io.annals.command.api.pipeline.PipelineRunView;
import io.annals.command.api.pipeline.PipelineDefinition;
import io.annals.command.api.pipeline.PipelinePaused;
import io.annals.command.api.pipeline.PipelineResumed;
import io.annals.command.api.pipeline.PipelineVersionRegistered;
import io.annals.command.api.pipeline.PipelineView;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.query.elastic.InMemoryReadModels;
import java.time.Instant;
import java.util.List;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.junit.jupiter.api.Test;

class PipelineRunProjectionTest {

    private static final PipelineName NIGHTLY = PipelineName.of("nightly");
    private static final DatasetName LOANS = DatasetName.of("loans");
    private static final Instant T0 = Instant.parse("2026-12-01T02:00:00Z");

    private final InMemoryReadModels store = new InMemoryReadModels();
    private final QueryUpdateEmitter updates = mock(QueryUpdateEmitter.class);
    private final PipelineRunProjection projection = new PipelineRunProjection(store, updates);

    private static BatchInput batch(String id) {
        return new BatchInput(new BatchRef(LOANS, BatchId.of(id)), "s3://annals/" + id, "a".repeat(64), 10);
    }

    private void started(long position) {
        PipelineCause cause = new PipelineCause(PipelineCause.Kind.NEW_BATCH, new BatchRef(LOANS, BatchId.of("b-new")),
                "train", null, "event-1");
        PipelineRunId id = new PipelineRunId(NIGHTLY, 1);
        projection.on(new PipelineRunStarted(NIGHTLY, 1, 2, ModelName.of("risk"), List.of(cause),
                        List.of(batch("b-new"), batch("b-old")), batch("b-holdout"), 7, id.trainingRun()),
                T0, "user:ana", new GlobalSequenceTrackingToken(position));
    }

    @Test
    void givenARunThroughItsSteps_thenItsDocumentFollowsAndNamesEveryBatchItTouched() {
        started(10);
        projection.on(new PipelineCandidateTrained(NIGHTLY, 1, ModelName.of("risk"), 5, 4),
                new GlobalSequenceTrackingToken(11));
        projection.on(new PipelineGateDecided(NIGHTLY, 1, true, 5, 4, List.of()), new GlobalSequenceTrackingToken(12));
        projection.on(new PipelineRunFinished(NIGHTLY, 1, Outcome.PROMOTED, Step.DEPLOY, null, 3),
                T0.plusSeconds(60), new GlobalSequenceTrackingToken(13));
        projection.on(new PipelineCandidateTrained(NIGHTLY, 1, ModelName.of("risk"), 5, 4),
                new GlobalSequenceTrackingToken(11)); // delivered again: changes nothing

        PipelineRunView run = store.one(PipelineRunProjection.RUNS, "nightly#1");
        assertThat(run.status()).isEqualTo(PipelineRunView.Status.PROMOTED);
        assertThat(run.step()).isEqualTo(Step.DEPLOY);
        assertThat(run.model()).isEqualTo("risk");
        assertThat(run.version()).isEqualTo(2);
        assertThat(run.candidate()).isEqualTo(5);
        assertThat(run.champion()).isEqualTo(4);
        assertThat(run.gatePassed()).isTrue();
        assertThat(run.revision()).isEqualTo(3);
        assertThat(run.batchIds()).containsExactly("b-new", "b-old", "b-holdout");
        assertThat(run.startedBy()).isEqualTo(Actor.user("ana"));
        assertThat(run.startedAt()).isEqualTo(T0);
        assertThat(run.finishedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(run.position()).isEqualTo(13);
        // every change but the repeated one was pushed to subscribers
        verify(updates, times(4)).emit(eq(FindPipelineRuns.class), any(), any(PipelineRunView.class));
    }

    @Test
    void givenARunOnAFeatureSet_thenItMaterialisesUntilBothSetsAreReady_andNamesTheirBatches() {
        PipelineRunId id = new PipelineRunId(NIGHTLY, 1);
        projection.on(new PipelineRunStarted(NIGHTLY, 1, 1, ModelName.of("risk"), List.of(PipelineCause.manual("go")),
                        List.of(batch("l-train")), batch("l-holdout"), 7, id.trainingRun(), 3),
                T0, "user:ana", new GlobalSequenceTrackingToken(10));
        assertThat(store.one(PipelineRunProjection.RUNS, "nightly#1").step()).isEqualTo(Step.MATERIALIZE);

        DatasetName sets = DatasetName.of("risk-sets");
        for (Purpose purpose : Purpose.values()) {
            TrainingSetId set = id.trainingSet(purpose, 1);
            projection.on(new PipelineTrainingSetReady(NIGHTLY, 1, purpose, set, new TrainingSetOutput(sets,
                    BatchId.of(set.value()), "s3://annals/" + set, "b".repeat(64), 40, 900)),
                    new GlobalSequenceTrackingToken(purpose == Purpose.TRAINING ? 11 : 12));
            assertThat(store.one(PipelineRunProjection.RUNS, "nightly#1").step())
                    .isEqualTo(purpose == Purpose.TRAINING ? Step.MATERIALIZE : Step.TRAIN);
        }
        assertThat(store.one(PipelineRunProjection.RUNS, "nightly#1").batchIds()).containsExactly("l-train",
                "l-holdout", "pipeline.nightly.1.training", "pipeline.nightly.1.held-out");
    }

    @Test
    void givenAPipelinesEvents_thenItsDocumentKeepsItsVersionStateAndLatestRun_andARedeliveryChangesNothing() {
        PipelineDefinition definition = new PipelineDefinition(ModelName.of("risk"), new PipelineDefinition.Training(
                Task.BINARY_CLASSIFICATION, List.of("x"), "label", null, null),
                List.of(new PipelineDefinition.Input(LOANS, List.of("train"))), null, List.of(),
                new PipelineDefinition.Deployment(null, EndpointName.of("scoring")), true);
        projection.on(new PipelineVersionRegistered(NIGHTLY, 1, definition), T0, "user:ana",
                new GlobalSequenceTrackingToken(1));
        projection.on(new PipelinePaused(NIGHTLY, "upstream outage"), T0.plusSeconds(1),
                new GlobalSequenceTrackingToken(2));
        started(10);
        projection.on(new PipelineRunFinished(NIGHTLY, 1, Outcome.REJECTED, Step.GATE, "worse", null),
                T0.plusSeconds(60), new GlobalSequenceTrackingToken(11));
        projection.on(new PipelineVersionRegistered(NIGHTLY, 2, definition), T0.plusSeconds(70), "user:bo",
                new GlobalSequenceTrackingToken(12));
        projection.on(new PipelinePaused(NIGHTLY, "upstream outage"), T0.plusSeconds(1),
                new GlobalSequenceTrackingToken(2)); // delivered again: changes nothing

        PipelineView pipeline = store.one(PipelineRunProjection.PIPELINES, "nightly");
        assertThat(pipeline.version()).isEqualTo(2);
        assertThat(pipeline.model()).isEqualTo("risk");
        assertThat(pipeline.endpoint()).isEqualTo("scoring");
        assertThat(pipeline.paused()).isTrue();
        assertThat(pipeline.pauseReason()).isEqualTo("upstream outage");
        assertThat(pipeline.lastRun()).isEqualTo(1);
        assertThat(pipeline.lastStatus()).isEqualTo(PipelineRunView.Status.REJECTED);
        assertThat(pipeline.lastRunAt()).isEqualTo(T0);
        assertThat(pipeline.registeredBy()).isEqualTo(Actor.user("bo"));
        assertThat(pipeline.position()).isEqualTo(12);

        projection.on(new PipelineResumed(NIGHTLY), T0.plusSeconds(80), new GlobalSequenceTrackingToken(13));
        assertThat(store.one(PipelineRunProjection.PIPELINES, "nightly").paused()).isFalse();
    }

    @Test
    void givenARefusedCandidate_thenTheRunIsRejectedAtTheGateWithTheReason() {
        started(10);
        projection.on(new PipelineCandidateTrained(NIGHTLY, 1, ModelName.of("risk"), 5, 4),
                new GlobalSequenceTrackingToken(11));
        projection.on(new PipelineGateDecided(NIGHTLY, 1, false, 5, 4, List.of()), new GlobalSequenceTrackingToken(12));
        projection.on(new PipelineRunFinished(NIGHTLY, 1, Outcome.REJECTED, Step.GATE, "auc too low", null),
                T0.plusSeconds(30), new GlobalSequenceTrackingToken(13));

        PipelineRunView run = store.one(PipelineRunProjection.RUNS, "nightly#1");
        assertThat(run.status()).isEqualTo(PipelineRunView.Status.REJECTED);
        assertThat(run.step()).isEqualTo(Step.GATE);
        assertThat(run.gatePassed()).isFalse();
        assertThat(run.reason()).isEqualTo("auc too low");
    }

    @Test
    void givenReset_thenANewGenerationStarts() {
        projection.reset();
        assertThat(store.generationsStarted()).containsExactly("annals-pipeline-runs-v1", "annals-pipelines-v1");
    }
}
