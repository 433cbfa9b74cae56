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
}
