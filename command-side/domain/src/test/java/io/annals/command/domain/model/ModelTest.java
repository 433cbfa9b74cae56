package io.annals.command.domain.model;

import io.annals.command.domain.config.StreamTargetResolver;
import static io.annals.command.domain.Fixtures.RANKER;
import static io.annals.command.domain.Fixtures.version;

import io.annals.command.api.common.DomainException;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.model.AssignModelAlias;
import io.annals.command.api.model.EvaluateModelVersion;
import io.annals.command.api.model.EvaluationId;
import io.annals.command.api.model.FailModelEvaluation;
import io.annals.command.api.model.ModelEvaluationFailed;
import io.annals.command.api.model.ModelEvaluationRequested;
import io.annals.command.api.model.ModelVersionEvaluated;
import io.annals.command.api.model.RecordModelEvaluation;
import io.annals.command.api.model.ModelAliasAssigned;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.model.RegisterModelVersion;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.domain.Fixtures;
import io.annals.command.domain.dataset.DatasetCatalog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ModelTest {

    private AggregateTestFixture<Model> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Model.class);
        fixture.registerCommandTargetResolver(new StreamTargetResolver());
    }

    private static RegisterModelVersion register(ModelVersionRegistered v) {
        return new RegisterModelVersion(v.model(), v.runId(), v.task(), v.features(), v.artifact(), v.metrics(),
                v.baseline());
    }

    @Nested
    class Register {

        @Test
        void givenNoModel_whenRegister_thenVersionOne() {
            fixture.givenNoPriorActivity()
                    .when(register(version(1)))
                    .expectEvents(version(1))
                    .expectResultMessagePayload(1);
        }

        @Test
        void givenBinaryVersion_whenRegressionRunRegistered_thenRejected() {
            fixture.given(version(1))
                    .when(register(new ModelVersionRegistered(RANKER, 2, TrainingRunId.of("run-2"), Task.REGRESSION,
                            version(1).features(), version(1).artifact(), version(1).metrics(),
                            version(1).baseline())))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("model 'ranker' holds BINARY_CLASSIFICATION versions; run run-2 trained "
                            + "REGRESSION: a model's versions must all do the same task")
                    .expectNoEvents();
        }

        @Test
        void givenTwoVersions_whenRegisterAnotherRun_thenVersionThree() {
            fixture.given(version(1), version(2))
                    .when(register(version(3)))
                    .expectEvents(version(3))
                    .expectResultMessagePayload(3);
        }

        @Test
        void givenRunRegistered_whenRegisteredAgain_thenSameVersionAndNoEvent() {
            fixture.given(version(1), version(2))
                    .when(register(new ModelVersionRegistered(RANKER, 9, TrainingRunId.of("run-1"),
                            version(1).task(), version(1).features(), version(1).artifact(), version(1).metrics(),
                            version(1).baseline())))
                    .expectNoEvents()
                    .expectResultMessagePayload(1);
        }
    }

    @Nested
    class Alias {

        @Test
        void givenVersion_whenAssignAlias_thenAssigned() {
            fixture.given(version(1))
                    .when(new AssignModelAlias(RANKER, "champion", 1))
                    .expectEvents(new ModelAliasAssigned(RANKER, "champion", 1, null));
        }

        @Test
        void givenAlias_whenMoved_thenPreviousVersionRecorded() {
            fixture.given(version(1), version(2), new ModelAliasAssigned(RANKER, "champion", 1, null))
                    .when(new AssignModelAlias(RANKER, "champion", 2))
                    .expectEvents(new ModelAliasAssigned(RANKER, "champion", 2, 1));
        }

        @Test
        void givenNoSuchVersion_whenAssignAlias_thenRejected() {
            fixture.given(version(1))
                    .when(new AssignModelAlias(RANKER, "champion", 5))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("model 'ranker' has no version 5")
                    .expectNoEvents();
        }

        @Test
        void givenNoModel_whenAssignAlias_thenRejected() {
            fixture.givenNoPriorActivity()
                    .when(new AssignModelAlias(RANKER, "champion", 1))
                    .expectException(AggregateNotFoundException.class);
        }
    }

    @Nested
    class Evaluate {

        private final EvaluationId id = EvaluationId.of("eval-1");
        private final BatchRef ref = new BatchRef(Fixtures.LOANS, Fixtures.BATCH);
        private final BatchInput input = new BatchInput(ref, Fixtures.ingested().location(),
                Fixtures.ingested().sha256(), 10);

        @BeforeEach
        void catalog() {
            fixture.registerInjectableResource(new DatasetCatalog() {
                @Override
                public Optional<DatasetSchema> schema(DatasetName dataset) {
                    return Optional.of(Fixtures.schema());
                }

                @Override
                public Optional<BatchInput> batch(BatchRef batch) {
                    return batch.equals(ref) ? Optional.of(input) : Optional.empty();
                }

                @Override
                public java.util.Map<String, BatchInput> pointedAt(DatasetName dataset,
                                                                   java.util.Collection<String> partitions) {
                    return java.util.Map.of("p", input);
                }
            });
        }

        private ModelEvaluationRequested requested() {
            ModelVersionRegistered v = version(1);
            return new ModelEvaluationRequested(RANKER, 1, id, input, v.artifact(), v.task(), v.features());
        }

        @Test
        void givenVersion_whenEvaluatedOnAKnownBatch_thenRequestedWithWhatAWorkerNeeds() {
            fixture.given(version(1)).when(new EvaluateModelVersion(RANKER, 1, id, ref)).expectEvents(requested());
        }

        @Test
        void givenNoSuchVersionOrBatch_whenEvaluated_thenRejectedAndNothingRecorded() {
            fixture.given(version(1)).when(new EvaluateModelVersion(RANKER, 2, id, ref)).expectNoEvents()
                    .expectExceptionMessage("model 'ranker' has no version 2");
            fixture.given(version(1)).when(new EvaluateModelVersion(RANKER, 1, id,
                    new BatchRef(Fixtures.LOANS, BatchId.of("ghost")))).expectNoEvents()
                    .expectExceptionMessage("batch ghost does not exist in dataset 'loans'");
        }

        @Test
        void givenRequested_whenResultRecordedTwice_thenTheFirstCounts() {
            fixture.given(version(1), requested()).when(new RecordModelEvaluation(RANKER, id, 10, Map.of("auc", 0.8)))
                    .expectEvents(new ModelVersionEvaluated(RANKER, 1, id, ref, 10, Map.of("auc", 0.8)));
            fixture.given(version(1), requested(), new ModelVersionEvaluated(RANKER, 1, id, ref, 10,
                            Map.of("auc", 0.8)))
                    .when(new RecordModelEvaluation(RANKER, id, 10, Map.of("auc", 0.7))).expectNoEvents();
            fixture.given(version(1), requested(), new ModelVersionEvaluated(RANKER, 1, id, ref, 10,
                            Map.of("auc", 0.8)))
                    .when(new FailModelEvaluation(RANKER, id, "late")).expectNoEvents();
        }

        @Test
        void givenRequested_whenFailed_thenFailed_andAnUnknownEvaluationIsNotFound() {
            fixture.given(version(1), requested()).when(new FailModelEvaluation(RANKER, id, "no label column"))
                    .expectEvents(new ModelEvaluationFailed(RANKER, 1, id, "no label column"));
            fixture.given(version(1)).when(new RecordModelEvaluation(RANKER, id, 1, Map.of())).expectNoEvents()
                    .expectException(DomainException.class);
        }
    }
}
