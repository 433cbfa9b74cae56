package io.annals.query.featureset;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.command.api.common.Actor;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.featureset.Aggregation;
import io.annals.command.api.featureset.FeatureSetDefinition;
import io.annals.command.api.featureset.FeatureSetName;
import io.annals.command.api.featureset.FeatureSetVersionRegistered;
import io.annals.command.api.featureset.FeatureSetView;
import io.annals.command.api.featureset.FeatureSpec;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingset.LabelSpec;
import io.annals.command.api.trainingset.TrainingSetClaimed;
import io.annals.command.api.trainingset.TrainingSetId;
import io.annals.command.api.trainingset.TrainingSetMaterialized;
import io.annals.command.api.trainingset.TrainingSetOutput;
import io.annals.command.api.trainingset.TrainingSetProgressed;
import io.annals.command.api.trainingset.TrainingSetRequested;
import io.annals.command.api.trainingset.TrainingSetStatus;
import io.annals.command.api.trainingset.TrainingSetView;
import io.annals.query.elastic.InMemoryReadModels;
import java.time.Instant;
import java.util.List;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.junit.jupiter.api.Test;

class FeatureSetProjectionTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final FeatureSetName SPEND = FeatureSetName.of("spend");
    private static final DatasetName EVENTS = DatasetName.of("events");
    private static final TrainingSetId ID = TrainingSetId.of("ts-1");

    private final InMemoryReadModels store = new InMemoryReadModels();
    private final FeatureSetProjection projection = new FeatureSetProjection(store);

    private static FeatureSetDefinition definition(String window) {
        return new FeatureSetDefinition("spend", "team-risk", EVENTS, List.of("user"), "at",
                List.of(new FeatureSpec("spend", "amount", Aggregation.SUM, window)));
    }

    private static GlobalSequenceTrackingToken at(long position) {
        return new GlobalSequenceTrackingToken(position);
    }

    @Test
    void givenTwoVersions_thenBothAreKeptWithWhoAndWhenAndAsOfShowsTheEarlierOne() {
        projection.on(new FeatureSetVersionRegistered(SPEND, 1, definition("P7D")), T0, "user:alice", at(1));
        projection.on(new FeatureSetVersionRegistered(SPEND, 2, definition("P1D")), T0.plusSeconds(60), "user:bob",
                at(2));
        projection.on(new FeatureSetVersionRegistered(SPEND, 2, definition("P1D")), T0.plusSeconds(60), "user:bob",
                at(2));

        FeatureSetView view = store.one(FeatureSetProjection.FEATURE_SETS, "spend");
        assertThat(view.versions()).extracting(v -> v.version()).containsExactly(1, 2);
        assertThat(view.versions().get(0).registeredBy()).isEqualTo(Actor.user("alice"));
        assertThat(view.latest().definition().features().get(0).window()).isEqualTo("P1D");
        assertThat(view.asOf(T0.plusSeconds(30)).versions()).extracting(v -> v.version()).containsExactly(1);
        assertThat(view.asOf(T0.minusSeconds(1))).isNull();
    }

    @Test
    void givenAJobThatRuns_thenItsStatusProgressAndOutputFollow() {
        DatasetSchema schema = new DatasetSchema(List.of(new ColumnSpec("user", ColumnType.STRING, false)));
        BatchInput source = new BatchInput(new BatchRef(EVENTS, BatchId.of("e-1")), "s3://e-1", "a".repeat(64), 10);
        projection.on(new TrainingSetRequested(ID, SPEND, 1, definition(null), schema, List.of(source),
                new LabelSpec(DatasetName.of("labels"), List.of(BatchId.of("l-1")), List.of("user"), "at", "y"),
                schema, List.of(), DatasetName.of("out"), schema), T0, "user:alice", at(5));
        assertThat(store.one(FeatureSetProjection.TRAINING_SETS, "ts-1").status())
                .isEqualTo(TrainingSetStatus.REQUESTED);

        projection.on(new TrainingSetClaimed(ID, "w1", 1, T0.plusSeconds(60)), at(6));
        projection.on(new TrainingSetProgressed(ID, "joining", 50, 100, T0.plusSeconds(90)), at(7));
        TrainingSetView running = store.one(FeatureSetProjection.TRAINING_SETS, "ts-1");
        assertThat(running.status()).isEqualTo(TrainingSetStatus.RUNNING);
        assertThat(running.phase()).isEqualTo("joining");
        assertThat(running.done()).isEqualTo(50);
        assertThat(running.workerId()).isEqualTo("w1");

        TrainingSetOutput output = new TrainingSetOutput(DatasetName.of("out"), BatchId.of("ts-1"), "s3://out",
                "b".repeat(64), 100, 2048);
        projection.on(new TrainingSetMaterialized(ID, SPEND, 1, "w1", output), T0.plusSeconds(120), at(8));
        projection.on(new TrainingSetProgressed(ID, "joining", 50, 100, T0.plusSeconds(90)), at(7));
        TrainingSetView done = store.one(FeatureSetProjection.TRAINING_SETS, "ts-1");
        assertThat(done.status()).isEqualTo(TrainingSetStatus.COMPLETED);
        assertThat(done.output()).isEqualTo(output);
        assertThat(done.sources()).containsExactly(source);
        assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(done.requestedBy()).isEqualTo(Actor.user("alice"));
    }
}
