package io.annals.command.domain.dataset;

import io.annals.command.domain.config.StreamTargetResolver;
import static io.annals.command.domain.Fixtures.BATCH;
import static io.annals.command.domain.Fixtures.LOANS;
import static io.annals.command.domain.Fixtures.SHA;
import static io.annals.command.domain.Fixtures.ingested;
import static io.annals.command.domain.Fixtures.registered;
import static io.annals.command.domain.Fixtures.schema;
import static io.annals.command.domain.Fixtures.stats;

import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.ColumnStatistics;
import io.annals.command.api.dataset.DatasetRegistered;
import io.annals.command.api.dataset.IngestDatasetBatch;
import io.annals.command.api.dataset.RegisterDataset;
import io.annals.command.api.dataset.DatasetBatchIngested;
import io.annals.command.api.dataset.DatasetPartitionRepointed;
import io.annals.command.api.dataset.RepointPartition;
import io.annals.command.api.common.DomainException;
import static org.assertj.core.api.Assertions.assertThat;
import java.util.List;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DatasetTest {

    private AggregateTestFixture<Dataset> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Dataset.class);
        fixture.registerCommandTargetResolver(new StreamTargetResolver());
    }

    private static IngestDatasetBatch ingest(BatchId batch, List<ColumnStatistics> stats) {
        return new IngestDatasetBatch(LOANS, batch, "2026-11-01", "s3://annals/datasets/loans/" + batch + ".csv",
                SHA, 10, 100, stats);
    }

    @Test
    void givenNothing_whenRegister_thenRegistered() {
        fixture.givenNoPriorActivity()
                .when(new RegisterDataset(LOANS, schema(), "loans"))
                .expectEvents(new DatasetRegistered(LOANS, schema(), "loans"));
    }

    @Nested
    class Ingest {

        @Test
        void givenRegistered_whenIngest_thenBatchIngested() {
            fixture.given(registered())
                    .when(ingest(BATCH, stats()))
                    .expectEvents(ingested());
        }

        @Test
        void givenNoDataset_whenIngest_thenRejected() {
            fixture.givenNoPriorActivity()
                    .when(ingest(BATCH, stats()))
                    .expectException(AggregateNotFoundException.class)
                    .expectNoEvents();
        }

        @Test
        void givenBatchIngested_whenTheSameBatchAgain_thenNothingNew() {
            fixture.given(registered(), ingested())
                    .when(ingest(BATCH, stats()))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void givenBatchIngested_whenSameBatchIdWithOtherBytes_thenRejected() {
            IngestDatasetBatch same = ingest(BATCH, stats());
            fixture.given(registered(), ingested())
                    .when(new IngestDatasetBatch(same.dataset(), same.batchId(), same.partition(), same.location(),
                            "b".repeat(64), same.rows(), same.sizeBytes(), same.statistics()))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("batch batch-1 already exists in dataset loans")
                    .expectNoEvents();
        }

        @Test
        void givenRegistered_whenStatisticsMissAColumn_thenRejected() {
            fixture.given(registered())
                    .when(ingest(BatchId.of("b2"), stats().subList(0, 3)))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("batch statistics cover 3 columns but dataset loans has 4")
                    .expectNoEvents();
        }
    }

    @Nested
    class Repoint {

        private static final BatchId BAD = BatchId.of("batch-2");
        private static final BatchId OTHER = BatchId.of("batch-3");

        private static DatasetBatchIngested batch(BatchId id, String partition) {
            return new DatasetBatchIngested(LOANS, id, partition, "s3://annals/datasets/loans/" + id + ".csv", SHA,
                    10, 100, stats());
        }

        @Test
        void givenABadBatch_whenRepointedAtTheEarlierOne_thenRecordedWithWhatItReplacedAndWhy() {
            fixture.given(registered(), ingested(), batch(BAD, "2026-11-01"))
                    .when(new RepointPartition(LOANS, "2026-11-01", BATCH, "batch-2 has shifted incomes"))
                    .expectEvents(new DatasetPartitionRepointed(LOANS, "2026-11-01", BATCH, BAD,
                            "batch-2 has shifted incomes"))
                    .expectState(dataset -> assertThat(dataset.currentBatches())
                            .extracting(b -> b.batch().batchId()).containsExactly(BATCH));
        }

        @Test
        void givenARepoint_whenRepointedForwardAgain_thenTheNewerBatchIsCurrentAgain() {
            fixture.given(registered(), ingested(), batch(BAD, "2026-11-01"),
                            new DatasetPartitionRepointed(LOANS, "2026-11-01", BATCH, BAD, "bad"))
                    .when(new RepointPartition(LOANS, "2026-11-01", BAD, "it was fine after all"))
                    .expectEvents(new DatasetPartitionRepointed(LOANS, "2026-11-01", BAD, BATCH,
                            "it was fine after all"))
                    .expectState(dataset -> assertThat(dataset.currentBatches())
                            .extracting(b -> b.batch().batchId()).containsExactly(BAD));
        }

        @Test
        void givenThePartitionPointsThereAlready_whenRepointed_thenNothingIsRecorded() {
            fixture.given(registered(), ingested(), batch(BAD, "2026-11-01"),
                            new DatasetPartitionRepointed(LOANS, "2026-11-01", BATCH, BAD, "bad"))
                    .when(new RepointPartition(LOANS, "2026-11-01", BATCH, "bad (retried)"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void givenABatchOfAnotherPartition_whenRepointed_thenRejected() {
            fixture.given(registered(), ingested(), batch(OTHER, "2026-11-02"))
                    .when(new RepointPartition(LOANS, "2026-11-01", OTHER, "wrong partition"))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("batch batch-3 belongs to partition '2026-11-02' of dataset loans, "
                            + "not to '2026-11-01'")
                    .expectNoEvents();
        }

        @Test
        void givenNoSuchBatch_whenRepointed_thenNotFound() {
            fixture.given(registered(), ingested())
                    .when(new RepointPartition(LOANS, "2026-11-01", BatchId.of("nope"), "typo"))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("dataset loans has no batch nope")
                    .expectNoEvents();
        }

        @Test
        void givenNoDataset_whenRepointed_thenRejected() {
            fixture.givenNoPriorActivity()
                    .when(new RepointPartition(LOANS, "2026-11-01", BATCH, "nothing there"))
                    .expectException(AggregateNotFoundException.class)
                    .expectNoEvents();
        }
    }
}
