package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.annals.command.api.common.Positioned;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.ReadModel;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Swapping a rebuilt generation in, on the real Elasticsearch, when an earlier swap stopped half-way: its alias had
 * already moved to the new generation (the thread was interrupted waiting for the answer, as when the platform stops
 * during a swap) and the swap is asked again. The generation queries read must survive it: an earlier version took
 * it for the old one and removed it, leaving the read model empty until the next rebuild.
 */
class GenerationPromoteTest extends PlatformTestSupport {

    record Note(String id, long position) implements Positioned {
    }

    @Autowired
    Documents documents;

    @Autowired
    ElasticsearchClient es;

    @Test
    void givenASwapThatStoppedAfterTheAliasMoved_whenItIsAskedAgain_thenTheNewGenerationStays() throws Exception {
        String alias = "annals-test-promote-" + UUID.randomUUID().toString().substring(0, 8);
        ReadModel<Note> notes = new ReadModel<>(alias, Note.class,
                "{\"id\":{\"type\":\"keyword\"},\"position\":{\"type\":\"long\"}}");
        inOneBatch(() -> documents.put(notes, "old", new Note("old", 1)));
        documents.startGeneration(notes);
        inOneBatch(() -> documents.put(notes, "rebuilt", new Note("rebuilt", 2)));
        String rebuilt = alias + "-g2";

        // the half of a swap that reached Elasticsearch before its thread stopped
        es.indices().refresh(r -> r.index(rebuilt));
        es.indices().updateAliases(u -> u
                .actions(a -> a.remove(r -> r.index(alias + "-g1").alias(alias)))
                .actions(a -> a.add(add -> add.index(rebuilt).alias(alias))));

        documents.promote(notes.alias());

        assertThat(es.indices().exists(e -> e.index(rebuilt)).value()).as("the generation queries read").isTrue();
        assertThat(documents.getAll(notes, List.of("old", "rebuilt"), Documents.Source.ALL))
                .extracting(Note::id).containsExactly("rebuilt");
        assertThat(documents.rebuilding(alias)).as("the swap is over").isFalse();
    }

    @Test
    void givenARefreshInterval_whenAGenerationIsRebuiltAndSwappedIn_thenItIsRefreshedOnlyOnceQueriesReadIt()
            throws Exception {
        String alias = "annals-test-refresh-" + UUID.randomUUID().toString().substring(0, 8);
        ReadModel<Note> notes = new ReadModel<>(alias, Note.class,
                "{\"id\":{\"type\":\"keyword\"},\"position\":{\"type\":\"long\"}}");
        Documents every500ms = new Documents(es, Duration.ofMillis(500));

        every500ms.ensureIndex(notes);
        assertThat(refreshInterval(alias + "-g1")).isEqualTo("500ms");
        every500ms.startGeneration(notes);
        assertThat(refreshInterval(alias + "-g2")).as("a generation no query reads yet").isEqualTo("-1");
        every500ms.promote(alias);
        assertThat(refreshInterval(alias + "-g2")).isEqualTo("500ms");

        // a process without the setting leaves it to Elasticsearch, for a generation made under another setting too
        new Documents(es, null).ensureIndex(notes);
        assertThat(refreshInterval(alias + "-g2")).as("Elasticsearch's default").isNull();
    }

    /** The index's own refresh interval, null when it has none (Elasticsearch's default applies). */
    private String refreshInterval(String index) throws Exception {
        var settings = es.indices().getSettings(g -> g.index(index)).get(index).settings();
        return settings == null || settings.index() == null || settings.index().refreshInterval() == null ? null
                : settings.index().refreshInterval().time();
    }

    private static void inOneBatch(Runnable writes) {
        BatchingUnitOfWork<?> batch = new BatchingUnitOfWork<>(List.of(GenericEventMessage.asEventMessage("e")));
        ResultMessage<?> result = batch.executeWithResult(() -> {
            writes.run();
            return null;
        });
        if (result.isExceptional()) {
            throw new AssertionError("the batch failed", result.exceptionResult());
        }
    }
}
