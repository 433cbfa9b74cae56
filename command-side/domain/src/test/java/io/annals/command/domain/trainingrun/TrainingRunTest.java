package io.annals.command.domain.trainingrun;

import io.annals.command.api.common.DomainException;
import io.annals.command.domain.config.StreamTargetResolver;
import static io.annals.command.domain.Fixtures.BATCH;
import static io.annals.command.domain.Fixtures.LOANS;
import static io.annals.command.domain.Fixtures.RANKER;
import static io.annals.command.domain.Fixtures.artifact;
import static io.annals.command.domain.Fixtures.baseline;
import static io.annals.command.domain.Fixtures.ingested;

import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingrun.ClaimTrainingRun;
import io.annals.command.api.trainingrun.CompleteTrainingRun;
import io.annals.command.api.trainingrun.FailTrainingRun;
import io.annals.command.api.trainingrun.Hyperparameters;
import io.annals.command.api.trainingrun.RecordTrainingEpoch;
import io.annals.command.api.trainingrun.ReleaseExpiredLease;
import io.annals.command.api.trainingrun.RequestTrainingRun;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingEpochCompleted;
import io.annals.command.api.trainingrun.TrainingRunClaimed;
import io.annals.command.api.trainingrun.TrainingRunCompleted;
import io.annals.command.api.trainingrun.TrainingRunFailed;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.api.trainingrun.TrainingRunLeaseExpired;
import io.annals.command.api.trainingrun.TrainingRunRequested;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.trainingrun.ModelRegistrationFailed;
import io.annals.command.api.trainingrun.RecordModelRegistrationFailure;
import io.annals.command.domain.Fixtures;
import io.annals.command.domain.dataset.DatasetCatalog;
import io.annals.command.domain.model.ModelCatalog;
import io.annals.command.api.featureset.FeatureSetName;
import io.annals.command.api.trainingset.TrainingSetId;
import io.annals.command.api.trainingset.TrainingSetOutput;
import io.annals.command.api.trainingset.TrainingSetRef;
import io.annals.command.api.trainingset.TrainingSetStatus;
import io.annals.command.domain.trainingset.TrainingSetCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TrainingRunTest {

    private static final TrainingRunId RUN = TrainingRunId.of("run-1");
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final BatchRef REF = new BatchRef(LOANS, BATCH);
    private static final Hyperparameters HP = new Hyperparameters(3, 0.01, 32, List.of(8), 0.2);
    private static final BatchInput INPUT = new BatchInput(REF, ingested().location(), ingested().sha256(), 10);

    private static final TrainingSetId TRAINING_SET = TrainingSetId.of("ts-1");
    private static final TrainingSetId RUNNING_SET = TrainingSetId.of("ts-2");

    private AggregateTestFixture<TrainingRun> fixture;

    /** The one known batch: batch-1 of loans. */
    private static final class OneBatchCatalog implements DatasetCatalog {
        @Override
        public Optional<DatasetSchema> schema(DatasetName dataset) {
            return dataset.equals(LOANS) ? Optional.of(io.annals.command.domain.Fixtures.schema()) : Optional.empty();
        }

        @Override
        public Optional<BatchInput> batch(BatchRef batch) {
            return batch.equals(REF) ? Optional.of(INPUT) : Optional.empty();
        }

        @Override
        public java.util.Map<String, BatchInput> pointedAt(DatasetName dataset, java.util.Collection<String> partitions) {
            return dataset.equals(LOANS) ? java.util.Map.of("2026-11-01", INPUT) : java.util.Map.of();
        }
    }

    /** The ranker has one binary-classification version; no other model has any. */
    private static final class BinaryRankerCatalog implements ModelCatalog {
        @Override
        public Optional<ModelVersionRegistered> version(ModelName model, int version) {
            return model.equals(RANKER) && version == 1 ? Optional.of(Fixtures.version(1)) : Optional.empty();
        }

        @Override
        public Optional<ModelVersionRegistered> aliased(ModelName model, String alias) {
            return Optional.empty();
        }

        @Override
        public Optional<ModelVersionRegistered> latest(ModelName model) {
            return version(model, 1);
        }
    }

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(TrainingRun.class);
        fixture.registerCommandTargetResolver(new StreamTargetResolver());
        fixture.registerInjectableResource(new OneBatchCatalog());
        fixture.registerInjectableResource(new BinaryRankerCatalog());
        fixture.registerInjectableResource(new TrainingSetCatalog() {
            @Override
            public Optional<TrainingSetStatus> status(TrainingSetId id) {
                return id.equals(TRAINING_SET) ? Optional.of(TrainingSetStatus.COMPLETED)
                        : id.equals(RUNNING_SET) ? Optional.of(TrainingSetStatus.RUNNING) : Optional.empty();
            }

            @Override
            public Optional<Completed> completed(TrainingSetId id) {
                return id.equals(TRAINING_SET) ? Optional.of(new Completed(new TrainingSetRef(TRAINING_SET,
                        FeatureSetName.of("spend"), 2), new TrainingSetOutput(LOANS, BATCH, INPUT.location(),
                        INPUT.sha256(), 10, 100))) : Optional.empty();
            }
        });
    }

    private static RequestTrainingRun request(BatchRef ref, List<String> features, String label) {
        return new RequestTrainingRun(RUN, RANKER, Task.BINARY_CLASSIFICATION, List.of(ref), features, label, HP, 7);
    }

    private static TrainingRunRequested requested() {
        return new TrainingRunRequested(RUN, RANKER, Task.BINARY_CLASSIFICATION, List.of(REF), List.of("x1", "x2"),
                "label", HP, 7, List.of(INPUT), null, COLUMNS);
    }

    private static final List<ColumnSpec> COLUMNS = List.of(new ColumnSpec("x1", ColumnType.DOUBLE, false),
            new ColumnSpec("x2", ColumnType.DOUBLE, false), new ColumnSpec("label", ColumnType.LONG, false));

    private static TrainingRunClaimed claimed(String worker, int attempt) {
        return new TrainingRunClaimed(RUN, worker, attempt, T0.plus(LEASE));
    }

    private static TrainingEpochCompleted epoch(int epoch) {
        return new TrainingEpochCompleted(RUN, epoch, 3, 0.6, 0.65, Map.of(), T0.plus(LEASE));
    }

    private static TrainingRunCompleted completed() {
        return new TrainingRunCompleted(RUN, RANKER, Task.BINARY_CLASSIFICATION, List.of(REF), List.of("x1", "x2"),
                "w1", artifact("run-1"), Map.of("auc", 0.91), baseline());
    }

    private static CompleteTrainingRun complete(String worker) {
        return new CompleteTrainingRun(RUN, worker, artifact("run-1"), Map.of("auc", 0.91), baseline());
    }

    @Nested
    class Request {

        @Test
        void givenKnownBatch_whenRequest_thenRequestedWithResolvedInputs() {
            fixture.givenNoPriorActivity()
                    .when(request(REF, List.of("x1", "x2"), "label"))
                    .expectEvents(requested());
        }

        @Test
        void givenModelWithBinaryVersions_whenRegressionRunRequested_thenRejected() {
            fixture.givenNoPriorActivity()
                    .when(new RequestTrainingRun(RUN, RANKER, Task.REGRESSION, List.of(REF), List.of("x1"), "x2",
                            HP, 7))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("model 'ranker' holds BINARY_CLASSIFICATION versions; a run for it "
                            + "must be BINARY_CLASSIFICATION too, not REGRESSION")
                    .expectNoEvents();
        }

        @Test
        void givenACompletedTrainingSet_whenRequested_thenItsBatchIsTheInputAndTheFeatureSetVersionIsRecorded() {
            fixture.givenNoPriorActivity()
                    .when(new RequestTrainingRun(RUN, RANKER, Task.BINARY_CLASSIFICATION, List.of(),
                            List.of("x1", "x2"), "label", HP, 7, TRAINING_SET))
                    .expectEvents(new TrainingRunRequested(RUN, RANKER, Task.BINARY_CLASSIFICATION, List.of(REF),
                            List.of("x1", "x2"), "label", HP, 7, List.of(INPUT), new TrainingSetRef(TRAINING_SET,
                            FeatureSetName.of("spend"), 2), COLUMNS));
        }

        @Test
        void givenATrainingSetNotCompletedOrUnknown_whenRequested_thenConflictOrNotFound() {
            fixture.givenNoPriorActivity()
                    .when(new RequestTrainingRun(RUN, RANKER, Task.BINARY_CLASSIFICATION, List.of(), List.of("x1"),
                            "label", HP, 7, RUNNING_SET))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("training set ts-2 is RUNNING; a run trains on a completed one")
                    .expectNoEvents();
            fixture.givenNoPriorActivity()
                    .when(new RequestTrainingRun(RUN, RANKER, Task.BINARY_CLASSIFICATION, List.of(), List.of("x1"),
                            "label", HP, 7, TrainingSetId.of("ghost")))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("training set ghost does not exist")
                    .expectNoEvents();
        }

        @Test
        void givenUnknownBatch_whenRequest_thenRejected() {
            fixture.givenNoPriorActivity()
                    .when(request(new BatchRef(LOANS, BatchId.of("nope")), List.of("x1"), "label"))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("batch nope does not exist in dataset 'loans'")
                    .expectNoEvents();
        }

        @Test
        void givenUnknownDataset_whenRequest_thenRejected() {
            fixture.givenNoPriorActivity()
                    .when(request(new BatchRef(DatasetName.of("ghost"), BATCH), List.of("x1"), "label"))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("dataset 'ghost' does not exist")
                    .expectNoEvents();
        }

        @Test
        void givenStringColumn_whenUsedAsFeature_thenCategoricalAndItsColumnRecorded() {
            fixture.givenNoPriorActivity()
                    .when(request(REF, List.of("x1", "note"), "label"))
                    .expectEvents(new TrainingRunRequested(RUN, RANKER, Task.BINARY_CLASSIFICATION, List.of(REF),
                            List.of("x1", "note"), "label", HP, 7, List.of(INPUT), null, List.of(COLUMNS.get(0),
                            new ColumnSpec("note", ColumnType.STRING, true), COLUMNS.get(2))));
        }

        @Test
        void givenStringLabel_thenAClassOfAMulticlassRun_butNotABinaryOne() {
            fixture.givenNoPriorActivity()
                    .when(request(REF, List.of("x1"), "note"))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("label column 'note' of dataset 'loans' is STRING; it must be numeric or "
                            + "boolean")
                    .expectNoEvents();
            fixture.givenNoPriorActivity()
                    .when(new RequestTrainingRun(RUN, ModelName.of("species"), Task.MULTICLASS_CLASSIFICATION,
                            List.of(REF), List.of("x1"), "x2", HP, 7))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("label column 'x2' of dataset 'loans' is DOUBLE; a class label must be "
                            + "LONG, STRING or BOOLEAN")
                    .expectNoEvents();
        }

        @Test
        void givenMissingColumn_whenUsedAsLabel_thenRejected() {
            fixture.givenNoPriorActivity()
                    .when(request(REF, List.of("x1"), "target"))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("label column 'target' is not in dataset 'loans'")
                    .expectNoEvents();
        }
    }

    @Nested
    class Claim {

        @Test
        void givenRequested_whenClaim_thenClaimedUnderLease() {
            fixture.given(requested())
                    .when(new ClaimTrainingRun(RUN, "w1", T0, LEASE))
                    .expectEvents(claimed("w1", 1));
        }

        @Test
        void givenClaimedByAnother_whenClaimWithinLease_thenRejected() {
            fixture.given(requested(), claimed("w1", 1))
                    .when(new ClaimTrainingRun(RUN, "w2", T0.plusSeconds(10), LEASE))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("run run-1 is claimed by w1 until 2026-11-23T10:02:00Z")
                    .expectNoEvents();
        }

        @Test
        void givenClaimedByAnother_whenClaimAfterLease_thenTakenOverAsNextAttempt() {
            fixture.given(requested(), claimed("w1", 1))
                    .when(new ClaimTrainingRun(RUN, "w2", T0.plus(LEASE), LEASE))
                    .expectEvents(new TrainingRunClaimed(RUN, "w2", 2, T0.plus(LEASE).plus(LEASE)));
        }

        @Test
        void givenLeaseExpired_whenReleased_thenBackInQueue() {
            fixture.given(requested(), claimed("w1", 1))
                    .when(new ReleaseExpiredLease(RUN, T0.plus(LEASE)))
                    .expectEvents(new TrainingRunLeaseExpired(RUN, "w1", 1));
        }

        @Test
        void givenLeaseHolds_whenReleased_thenRejected() {
            fixture.given(requested(), claimed("w1", 1))
                    .when(new ReleaseExpiredLease(RUN, T0))
                    .expectException(DomainException.class)
                    .expectNoEvents();
        }

        @Test
        void givenLastAttemptExpired_whenReleased_thenFailed() {
            fixture.given(requested(), claimed("w1", 1), new TrainingRunLeaseExpired(RUN, "w1", 1),
                            claimed("w2", 2), new TrainingRunLeaseExpired(RUN, "w2", 2), claimed("w3", 3))
                    .when(new ReleaseExpiredLease(RUN, T0.plus(LEASE)))
                    .expectEvents(new TrainingRunFailed(RUN, "w3",
                            "lease expired on attempt 3 of 3 (last worker w3); giving up"));
        }
    }

    @Nested
    class Progress {

        @Test
        void givenClaimed_whenEpochRecorded_thenLeaseRenewed() {
            fixture.given(requested(), claimed("w1", 1))
                    .when(new RecordTrainingEpoch(RUN, "w1", 1, 0.6, 0.65, Map.of("auc", 0.7), T0.plusSeconds(30),
                            LEASE))
                    .expectEvents(new TrainingEpochCompleted(RUN, 1, 3, 0.6, 0.65, Map.of("auc", 0.7),
                            T0.plusSeconds(30).plus(LEASE)));
        }

        @Test
        void givenEpochRecorded_whenTheWorkerRetriesIt_thenNothingIsRecordedTwice() {
            fixture.given(requested(), claimed("w1", 1), epoch(1))
                    .when(new RecordTrainingEpoch(RUN, "w1", 1, 0.6, 0.65, Map.of(), T0, LEASE))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void givenEpochTwoRecorded_whenEpochOneIsSentAgain_thenRejected() {
            fixture.given(requested(), claimed("w1", 1), epoch(1), epoch(2))
                    .when(new RecordTrainingEpoch(RUN, "w1", 1, 0.6, 0.65, Map.of(), T0, LEASE))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("epoch 1 of run run-1 is already recorded in attempt 1 (last: 2)")
                    .expectNoEvents();
        }

        @Test
        void givenAttemptTakenOver_whenNewWorkerStartsAtEpochOne_thenRecorded() {
            fixture.given(requested(), claimed("w1", 1), epoch(1), epoch(2),
                            new TrainingRunLeaseExpired(RUN, "w1", 1), claimed("w2", 2))
                    .when(new RecordTrainingEpoch(RUN, "w2", 1, 0.6, 0.65, Map.of(), T0, LEASE))
                    .expectEvents(new TrainingEpochCompleted(RUN, 1, 3, 0.6, 0.65, Map.of(), T0.plus(LEASE)));
        }

        @Test
        void givenClaimedByAnother_whenEpochRecorded_thenRejected() {
            fixture.given(requested(), claimed("w1", 1))
                    .when(new RecordTrainingEpoch(RUN, "w2", 1, 0.6, 0.65, Map.of(), T0, LEASE))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("run run-1 is not claimed by w2 (held by w1)");
        }

        @Test
        void givenClaimed_whenCompleted_thenCompletedWithInputs() {
            fixture.given(requested(), claimed("w1", 1))
                    .when(complete("w1"))
                    .expectEvents(new TrainingRunCompleted(RUN, RANKER, Task.BINARY_CLASSIFICATION, List.of(REF),
                            List.of("x1", "x2"), "w1", artifact("run-1"), Map.of("auc", 0.91), baseline()));
        }

        @Test
        void givenCompleted_whenCompletedAgain_thenRejected() {
            fixture.given(requested(), claimed("w1", 1), new TrainingRunCompleted(RUN, RANKER,
                            Task.BINARY_CLASSIFICATION, List.of(REF), List.of("x1", "x2"), "w1", artifact("run-1"),
                            Map.of("auc", 0.91), baseline()))
                    .when(complete("w1"))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("run run-1 is already completed")
                    .expectNoEvents();
        }

        @Test
        void givenRequested_whenCompletedWithoutClaim_thenRejected() {
            fixture.given(requested())
                    .when(complete("w1"))
                    .expectException(DomainException.class)
                    .expectNoEvents();
        }

        @Test
        void givenClaimed_whenFailed_thenFailedWithReason() {
            fixture.given(requested(), claimed("w1", 1))
                    .when(new FailTrainingRun(RUN, "w1", "batch digest mismatch"))
                    .expectEvents(new TrainingRunFailed(RUN, "w1", "batch digest mismatch"));
        }

        @Test
        void givenFailed_whenFailedAgain_thenRejected() {
            fixture.given(requested(), new TrainingRunFailed(RUN, "w1", "boom"))
                    .when(new FailTrainingRun(RUN, "w1", "again"))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("run run-1 is already failed");
        }
    }

    @Nested
    class RegistrationFailure {

        @Test
        void givenCompleted_whenRegistrationFailureRecorded_thenRecorded() {
            fixture.given(requested(), claimed("w1", 1), completed())
                    .when(new RecordModelRegistrationFailure(RUN, RANKER, "model refused it"))
                    .expectEvents(new ModelRegistrationFailed(RUN, RANKER, "model refused it"));
        }

        @Test
        void givenFailureRecorded_whenRecordedAgain_thenNoEvent() {
            fixture.given(requested(), claimed("w1", 1), completed(),
                            new ModelRegistrationFailed(RUN, RANKER, "model refused it"))
                    .when(new RecordModelRegistrationFailure(RUN, RANKER, "model refused it"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void givenRunning_whenRegistrationFailureRecorded_thenRejected() {
            fixture.given(requested(), claimed("w1", 1))
                    .when(new RecordModelRegistrationFailure(RUN, RANKER, "model refused it"))
                    .expectException(DomainException.class)
                    .expectNoEvents();
        }
    }
}
