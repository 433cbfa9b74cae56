package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.command.api.common.Positioned;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.ReadModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What a projection's batch of writes does in Elasticsearch: one {@code _bulk} request when the batch commits, a
 * document at an older log position than the stored one left alone, and a document Elasticsearch refuses failing the
 * batch with a message that names it (so the processor retries the batch and shows the error).
 */
class BulkWritesTest extends PlatformTestSupport {

    record Gauge(String id, Object level, long position) implements Positioned {
    }

    static final ReadModel<Gauge> GAUGES = new ReadModel<>("annals-test-gauges", Gauge.class,
            "{\"id\":{\"type\":\"keyword\"},\"level\":{\"type\":\"long\"},\"position\":{\"type\":\"long\"}}");

    @Autowired
    Documents documents;

    @Test
    void givenABatchOfWrites_whenItCommits_thenEveryDocumentIsWritten_andAnOlderPositionNeverReplacesANewer() {
        inOneBatch(() -> {
            documents.put(GAUGES, "a", new Gauge("a", 1, 10));
            documents.put(GAUGES, "b", new Gauge("b", 2, 11));
            documents.put(GAUGES, "quoted \"id\"", new Gauge("quoted \"id\"", 3, 12));
            return null;
        });
        inOneBatch(() -> {
            documents.put(GAUGES, "a", new Gauge("a", 7, 9));
            documents.put(GAUGES, "b", new Gauge("b", 8, 13));
            return null;
        });

        assertThat(documents.getAll(GAUGES, List.of("a", "b", "quoted \"id\""), Documents.Source.ALL))
                .extracting(Gauge::id, g -> ((Number) g.level()).intValue(), Gauge::position)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 1, 10L),
                        org.assertj.core.groups.Tuple.tuple("b", 8, 13L),
                        org.assertj.core.groups.Tuple.tuple("quoted \"id\"", 3, 12L));
    }

    @Test
    void givenADocumentElasticsearchRefuses_whenTheBatchCommits_thenTheBatchFailsNamingTheDocumentAndWhy() {
        assertThatThrownBy(() -> inOneBatch(() -> {
            documents.put(GAUGES, "fine", new Gauge("fine", 4, 20));
            documents.put(GAUGES, "broken", new Gauge("broken", Map.of("not", "a number"), 21));
            return null;
        })).hasMessageContaining("Elasticsearch refused annals-test-gauges-g1/broken")
                .hasMessageContaining("level");
    }

    /** Runs {@code writes} as a projection's batch of two events runs, committing it at the end. */
    private static void inOneBatch(Callable<Object> writes) {
        BatchingUnitOfWork<?> batch = new BatchingUnitOfWork<>(List.of(
                GenericEventMessage.asEventMessage("first"), GenericEventMessage.asEventMessage("second")));
        ResultMessage<?> result;
        try {
            result = batch.executeWithResult(writes);
        } catch (Exception e) {
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
        if (result.isExceptional()) {
            throw result.exceptionResult() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(result.exceptionResult());
        }
    }
}
