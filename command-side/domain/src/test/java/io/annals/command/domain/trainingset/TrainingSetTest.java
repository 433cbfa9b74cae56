package io.annals.command.domain.trainingset;

import io.annals.command.api.common.DomainException;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.featureset.Aggregation;
import io.annals.command.api.featureset.FeatureSetDefinition;
import io.annals.command.api.featureset.FeatureSetName;
import io.annals.command.api.featureset.FeatureSpec;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingset.ClaimTrainingSet;
import io.annals.command.api.trainingset.CompleteTrainingSet;
import io.annals.command.api.trainingset.LabelSpec;
import io.annals.command.api.trainingset.MaterializeTrainingSet;
import io.annals.command.api.trainingset.ReleaseExpiredTrainingSetLease;
import io.annals.command.api.trainingset.TrainingSetClaimed;
import io.annals.command.api.trainingset.TrainingSetFailed;
import io.annals.command.api.trainingset.TrainingSetId;
import io.annals.command.api.trainingset.TrainingSetLeaseExpired;
import io.annals.command.api.trainingset.TrainingSetMaterialized;
import io.annals.command.api.trainingset.TrainingSetOutput;
import io.annals.command.api.trainingset.TrainingSetRequested;
import io.annals.command.domain.config.StreamTargetResolver;
import io.annals.command.domain.dataset.DatasetCatalog;
import io.annals.command.domain.featureset.FeatureSetCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrainingSetTest {

    private static final TrainingSetId ID = TrainingSetId.of("ts-1");
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final DatasetName EVENTS = DatasetName.of("events");
    private static final DatasetName LABELS = DatasetName.of("churn-labels");
    private static final DatasetName OUTPUT = DatasetName.of("churn-training");
    private static final FeatureSetName SPEND = FeatureSetName.of("spend");
    private static final DatasetSchema EVENTS_SCHEMA = new DatasetSchema(List.of(
            new ColumnSpec("user", ColumnType.STRING, false), new ColumnSpec("at", ColumnType.TIMESTAMP, false),
            new ColumnSpec("amount", ColumnType.DOUBLE, true)));
    private static final DatasetSchema LABEL_SCHEMA = new DatasetSchema(List.of(
            new ColumnSpec("uid", ColumnType.STRING, false), new ColumnSpec("when", ColumnType.TIMESTAMP, false),
            new ColumnSpec("churned", ColumnType.LONG, false), new ColumnSpec("n", ColumnType.LONG, false)));
    private static final FeatureSetDefinition DEFINITION = new FeatureSetDefinition("", "team", EVENTS,
            List.of("user"), "at", List.of(new FeatureSpec("spend_7d", "amount", Aggregation.SUM, "P7D"),
            new FeatureSpec("avg_spend", "amount", Aggregation.MEAN, null)));
    private static final BatchInput OLD = input(EVENTS, "e-1");
    private static final BatchInput CURRENT = input(EVENTS, "e-2");
    private static final BatchInput LABEL_BATCH = input(LABELS, "l-1");
    private static final LabelSpec LABEL_SPEC = new LabelSpec(LABELS, List.of(BatchId.of("l-1")), List.of("uid"),
            "when", "churned");
    private static final DatasetSchema OUTPUT_SCHEMA = new DatasetSchema(List.of(
            new ColumnSpec("uid", ColumnType.STRING, false), new ColumnSpec("when", ColumnType.TIMESTAMP, false),
            new ColumnSpec("churned", ColumnType.LONG, false), new ColumnSpec("spend_7d", ColumnType.DOUBLE, false),
            new ColumnSpec("avg_spend", ColumnType.DOUBLE, true)));

    private AggregateTestFixture<TrainingSet> fixture;
    private final Map<DatasetName, DatasetSchema> schemas = new java.util.HashMap<>(Map.of(EVENTS, EVENTS_SCHEMA,
            LABELS, LABEL_SCHEMA));

    private static BatchInput input(DatasetName dataset, String batch) {
        return new BatchInput(new BatchRef(dataset, BatchId.of(batch)), "s3://annals/" + batch, "a".repeat(64), 10);
    }

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(TrainingSet.class);
        fixture.registerCommandTargetResolver(new StreamTargetResolver());
        fixture.registerInjectableResource(new FeatureSetCatalog() {
            @Override
            public Optional<FeatureSetDefinition> version(FeatureSetName name, int version) {
                return name.equals(SPEND) && version == 1 ? Optional.of(DEFINITION) : Optional.empty();
            }

            @Override
            public Optional<Integer> latest(FeatureSetName name) {
                return name.equals(SPEND) ? Optional.of(1) : Optional.empty();
            }
        });
        fixture.registerInjectableResource(new DatasetCatalog() {
            @Override
            public Optional<DatasetSchema> schema(DatasetName dataset) {
                return Optional.ofNullable(schemas.get(dataset));
            }

            @Override
            public Optional<BatchInput> batch(BatchRef batch) {
                return batch.equals(LABEL_BATCH.batch()) ? Optional.of(LABEL_BATCH) : Optional.empty();
            }

            @Override
            public java.util.Map<String, BatchInput> pointedAt(DatasetName dataset,
                                                               java.util.Collection<String> partitions) {
                java.util.Map<String, BatchInput> pointed = new java.util.LinkedHashMap<>();
                if (dataset.equals(EVENTS)) {
                    pointed.put("old", OLD);
                    pointed.put("current", CURRENT);
                }
                return pointed;
            }
        });
    }

    private static MaterializeTrainingSet materialize(LabelSpec labels) {
        return new MaterializeTrainingSet(ID, SPEND, 1, labels, OUTPUT);
    }

    private static TrainingSetRequested requested() {
        return new TrainingSetRequested(ID, SPEND, 1, DEFINITION, EVENTS_SCHEMA, List.of(OLD, CURRENT), LABEL_SPEC,
                LABEL_SCHEMA, List.of(LABEL_BATCH), OUTPUT, OUTPUT_SCHEMA);
    }

    @Test
    void givenAFeatureSetAndLabels_whenMaterialized_thenEverythingReadIsPinnedInTheEvent() {
        fixture.givenNoPriorActivity()
                .when(materialize(LABEL_SPEC))
                .expectEvents(requested());
    }

    @Test
    void givenAnUnknownVersion_whenMaterialized_thenNotFoundAndNoEvent() {
        fixture.givenNoPriorActivity()
                .when(new MaterializeTrainingSet(ID, SPEND, 2, LABEL_SPEC, OUTPUT))
                .expectException(DomainException.class)
                .expectExceptionMessage("feature set 'spend' has no version 2")
                .expectNoEvents();
    }

    @Test
    void givenLabelKeysThatDoNotMatch_whenMaterialized_thenRefused() {
        fixture.givenNoPriorActivity()
                .when(materialize(new LabelSpec(LABELS, List.of(BatchId.of("l-1")), List.of("uid", "n"), "when",
                        "churned")))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("the labels name 2 entity key column(s) [uid, n]; feature set 'spend' "
                        + "version 1 is keyed by 1: [user]")
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(materialize(new LabelSpec(LABELS, List.of(BatchId.of("l-1")), List.of("n"), "when",
                        "churned")))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("entity key column 'n' of label dataset 'churn-labels' is LONG but the "
                        + "feature set's key 'user' is STRING")
                .expectNoEvents();
    }

    @Test
    void givenLabelsWithoutTheTimestampColumn_whenMaterialized_thenRefused() {
        fixture.givenNoPriorActivity()
                .when(materialize(new LabelSpec(LABELS, List.of(BatchId.of("l-1")), List.of("uid"), "ts",
                        "churned")))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("timestamp column 'ts' is not in label dataset 'churn-labels' (its columns: "
                        + "[uid, when, churned, n])")
                .expectNoEvents();
    }

    @Test
    void givenAnOutputDatasetWithOtherColumns_whenMaterialized_thenConflict() {
        schemas.put(OUTPUT, LABEL_SCHEMA);
        fixture.givenNoPriorActivity()
                .when(materialize(LABEL_SPEC))
                .expectException(DomainException.class)
                .expectExceptionMessage("dataset 'churn-training' exists with other columns " + LABEL_SCHEMA.columns()
                        + "; a training set writes " + OUTPUT_SCHEMA.columns())
                .expectNoEvents();
    }

    @Test
    void givenRequested_whenClaimedAndCompleted_thenMaterializedWithItsFeatureSetVersion() {
        TrainingSetOutput output = new TrainingSetOutput(OUTPUT, BatchId.of("ts-1"), "s3://annals/out", "b".repeat(64),
                100, 4096);
        fixture.given(requested(), new TrainingSetClaimed(ID, "w1", 1, T0.plus(LEASE)))
                .when(new CompleteTrainingSet(ID, "w1", output))
                .expectEvents(new TrainingSetMaterialized(ID, SPEND, 1, "w1", output));
    }

    @Test
    void givenClaimedByAnother_whenClaimedBeforeTheLeaseRunsOut_thenConflict() {
        fixture.given(requested(), new TrainingSetClaimed(ID, "w1", 1, T0.plus(LEASE)))
                .when(new ClaimTrainingSet(ID, "w2", T0.plusSeconds(10), LEASE))
                .expectException(DomainException.class)
                .expectNoEvents();
    }

    @Test
    void givenALeaseThatRanOut_whenReleased_thenFreedUntilTheLastAttemptFails() {
        fixture.given(requested(), new TrainingSetClaimed(ID, "w1", 1, T0.plus(LEASE)))
                .when(new ReleaseExpiredTrainingSetLease(ID, T0.plus(LEASE).plusSeconds(1)))
                .expectEvents(new TrainingSetLeaseExpired(ID, "w1", 1));
        fixture.given(requested(), new TrainingSetClaimed(ID, "w1", 3, T0.plus(LEASE)))
                .when(new ReleaseExpiredTrainingSetLease(ID, T0.plus(LEASE).plusSeconds(1)))
                .expectEvents(new TrainingSetFailed(ID, "w1", "lease expired on attempt 3 of 3 (last worker w1); "
                        + "giving up"));
    }
}
