package io.annals.query.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.command.api.common.Actor;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.BatchView;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnStatistics;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetBatchIngested;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetRegistered;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.dataset.DatasetView;
import io.annals.command.api.dataset.PartitionView;
import io.annals.command.api.dataset.DatasetPartitionRepointed;
import io.annals.command.api.dataset.RepointView;
import io.annals.query.elastic.InMemoryReadModels;
import java.time.Instant;
import java.util.List;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.junit.jupiter.api.Test;

class DatasetProjectionTest {

    private static final DatasetName LOANS = DatasetName.of("loans");
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final InMemoryReadModels store = new InMemoryReadModels();
    private final DatasetProjection projection = new DatasetProjection(store);

    private void registered(long position) {
        projection.on(new DatasetRegistered(LOANS, new DatasetSchema(List.of(new ColumnSpec("x", ColumnType.DOUBLE,
                false))), "applications"), T0, "user:alice", new GlobalSequenceTrackingToken(position));
    }

    private void ingested(String batch, String partition, long position) {
        projection.on(new DatasetBatchIngested(LOANS, BatchId.of(batch), partition, "s3://annals/" + batch + ".csv",
                        "a".repeat(64), 100, 2_000, List.of(new ColumnStatistics("x", 100, 0, 0.0, 1.0, 0.5, 0.1))),
                T0.plusSeconds(position), "user:bob", new GlobalSequenceTrackingToken(position));
    }

    @Test
    void givenBatchesInTwoPartitions_thenEachPartitionPointsAtItsLatestBatchAndEveryBatchIsKept() {
        registered(1);
        ingested("b1", "2026-11-01", 2);
        ingested("b2", "2026-11-01", 3);
        ingested("b3", "2026-11-02", 4);

        DatasetView dataset = store.one(DatasetProjection.DATASETS, "loans");
        assertThat(dataset.batchCount()).isEqualTo(3);
        assertThat(dataset.partitions()).containsExactly(
                new PartitionView("2026-11-01", "b2", T0.plusSeconds(3)),
                new PartitionView("2026-11-02", "b3", T0.plusSeconds(4)));
        assertThat(dataset.registeredBy()).isEqualTo(Actor.user("alice"));
        assertThat(dataset.schema()).extracting(ColumnSpec::name).containsExactly("x");
        assertThat(dataset.position()).isEqualTo(4);

        BatchView b1 = store.one(DatasetProjection.BATCHES, "b1");
        assertThat(b1.partition()).isEqualTo("2026-11-01");
        assertThat(b1.rows()).isEqualTo(100);
        assertThat(b1.ingestedBy()).isEqualTo(Actor.user("bob"));
        assertThat(b1.statistics()).singleElement().extracting(ColumnStatistics::mean).isEqualTo(0.5);
        assertThat(store.all(DatasetProjection.BATCHES)).containsOnlyKeys("b1", "b2", "b3");
    }

    @Test
    void givenABatchDeliveredTwice_thenItIsCountedOnce() {
        registered(1);
        ingested("b1", "p", 2);
        ingested("b1", "p", 2);
        registered(1);

        assertThat(store.one(DatasetProjection.DATASETS, "loans").batchCount()).isEqualTo(1);
    }

    private void repointed(String batch, String replaced, long position) {
        projection.on(new DatasetPartitionRepointed(LOANS, "p", BatchId.of(batch), BatchId.of(replaced), "bad data"),
                T0.plusSeconds(position), "user:carol", new GlobalSequenceTrackingToken(position));
    }

    @Test
    void givenARepoint_thenThePartitionPointsBackWithTheReasonAndTheRepointIsKeptButNotCountedAsABatch() {
        registered(1);
        ingested("b1", "p", 2);
        ingested("b2", "p", 3);
        repointed("b1", "b2", 4);
        repointed("b1", "b2", 4); // delivered again

        DatasetView dataset = store.one(DatasetProjection.DATASETS, "loans");
        assertThat(dataset.partitions()).containsExactly(new PartitionView("p", "b1", T0.plusSeconds(4), "bad data"));
        assertThat(dataset.batchCount()).isEqualTo(2);
        assertThat(dataset.repoints()).containsExactly(new RepointView("p", "b1", "b2", "bad data", T0.plusSeconds(4),
                Actor.user("carol"), 4));
        assertThat(dataset.position()).isEqualTo(4);
    }

    @Test
    void givenBatchesAndRepoints_whenReplayedToAnInstant_thenTheMapIsAsItWasThen() {
        registered(1);
        ingested("b1", "p", 2);
        ingested("b2", "p", 3);
        repointed("b1", "b2", 4);
        ingested("b3", "p", 5);
        DatasetView now = store.one(DatasetProjection.DATASETS, "loans");
        List<BatchView> batches = store.all(DatasetProjection.BATCHES).values().stream().toList();

        assertThat(DatasetQueries.replay(now, batches.stream().filter(b -> b.position() <= 3).toList(),
                T0.plusSeconds(3)).partitions()).extracting(PartitionView::batchId).containsExactly("b2");
        DatasetView atRepoint = DatasetQueries.replay(now, batches.stream().filter(b -> b.position() <= 4).toList(),
                T0.plusSeconds(4));
        assertThat(atRepoint.partitions()).extracting(PartitionView::batchId).containsExactly("b1");
        assertThat(atRepoint.batchCount()).isEqualTo(2);
        assertThat(atRepoint.repoints()).hasSize(1);
        assertThat(DatasetQueries.replay(now, batches, T0.plusSeconds(5)).partitions())
                .extracting(PartitionView::batchId).containsExactly("b3");
    }

    @Test
    void givenReset_thenBothReadModelsStartANewGeneration() {
        projection.reset();
        assertThat(store.generationsStarted()).containsExactly("annals-datasets-v2", "annals-batches-v2");
    }
}
