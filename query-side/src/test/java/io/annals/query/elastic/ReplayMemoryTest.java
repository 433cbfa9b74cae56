package io.annals.query.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.command.api.common.Positioned;
import org.junit.jupiter.api.Test;

/** What a replay's lane may answer from memory, and what it must leave to Elasticsearch. */
class ReplayMemoryTest {

    record Doc(String id, long position) implements Positioned {
    }

    @Test
    void givenAReplayFromTheStart_thenItsOwnDocumentsFromMemory_andOthersKnownMissing() {
        ReplayMemory memory = new ReplayMemory(true, 1_000);
        memory.reading("runs-g2");
        memory.written("runs-g2", "a", new Doc("a", 3), 100);

        assertThat(memory.recall("runs-g2", "a")).contains(new Doc("a", 3));
        assertThat(memory.recall("runs-g2", "b")).as("never written by this lane: not there").isEmpty();
    }

    @Test
    void givenMoreDocumentsThanItKeeps_thenTheForgottenOnesAreLeftToElasticsearch() {
        ReplayMemory memory = new ReplayMemory(true, 250);
        memory.reading("runs-g2");
        memory.written("runs-g2", "a", new Doc("a", 1), 100);
        memory.written("runs-g2", "b", new Doc("b", 2), 100);
        memory.written("runs-g2", "c", new Doc("c", 3), 100);

        assertThat(memory.size()).isEqualTo(2);
        assertThat(memory.recall("runs-g2", "a")).as("forgotten: unknown").isNull();
        assertThat(memory.recall("runs-g2", "c")).contains(new Doc("c", 3));
        memory.written("runs-g2", "a", new Doc("a", 4), 100);
        assertThat(memory.recall("runs-g2", "a")).contains(new Doc("a", 4));
    }

    @Test
    void givenAnIndexWrittenBeforeItWasRead_thenOnlyWhatWasKeptAfterIsAnswered() {
        ReplayMemory memory = new ReplayMemory(true, 1_000);
        memory.written("runs-g2", "a", new Doc("a", 1), 100);
        memory.reading("runs-g2");
        memory.written("runs-g2", "b", new Doc("b", 2), 100);

        assertThat(memory.recall("runs-g2", "a")).isNull();
        assertThat(memory.recall("runs-g2", "b")).contains(new Doc("b", 2));
        assertThat(memory.recall("runs-g2", "c")).isNull();
    }

    @Test
    void givenAnIndexNeverRead_thenNothingIsKept() {
        ReplayMemory memory = new ReplayMemory(true, 1_000);
        memory.written("audit-g3", "e-1", new Doc("e-1", 1), 100);

        assertThat(memory.size()).isZero();
    }

    @Test
    void givenAReplayResumedHalfWay_thenOnlyItsOwnWritesAreAnswered() {
        ReplayMemory memory = new ReplayMemory(false, 1_000);
        memory.reading("runs-g2");
        memory.written("runs-g2", "a", new Doc("a", 3), 100);

        assertThat(memory.recall("runs-g2", "a")).contains(new Doc("a", 3));
        assertThat(memory.recall("runs-g2", "b")).as("written before the resume, maybe").isNull();
    }
}
