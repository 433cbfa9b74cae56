package io.annals.query.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.command.api.common.Positioned;
import org.junit.jupiter.api.Test;

class ReadModelStoreTest {

    record Counter(String id, int count, long position) implements Positioned {
        Counter next(long at) {
            return new Counter(id, count + 1, at);
        }
    }

    private static final ReadModel<Counter> COUNTERS = new ReadModel<>("counters", Counter.class, "{}");

    private final InMemoryReadModels store = new InMemoryReadModels();

    @Test
    void givenEventsAppliedInOrder_whenOneArrivesAgain_thenNothingChanges() {
        store.apply(COUNTERS, "a", 5, () -> new Counter("a", 0, -1), c -> c.next(5));
        store.apply(COUNTERS, "a", 9, null, c -> c.next(9));

        assertThat(store.apply(COUNTERS, "a", 9, null, c -> c.next(9))).isEmpty();
        assertThat(store.apply(COUNTERS, "a", 5, null, c -> c.next(5))).isEmpty();
        assertThat(store.one(COUNTERS, "a")).isEqualTo(new Counter("a", 2, 9));
        assertThat(store.writes()).isEqualTo(2);
    }

    @Test
    void givenNoDocumentAndNoWayToMakeOne_whenApplied_thenItStaysMissing() {
        assertThat(store.apply(COUNTERS, "ghost", 3, null, c -> c.next(3))).isEmpty();
        assertThat(store.all(COUNTERS)).isEmpty();
    }

    @Test
    void givenAChangeThatForgetsThePosition_whenApplied_thenRefusedLoudly() {
        store.write(COUNTERS, "a", new Counter("a", 0, 1));
        assertThatThrownBy(() -> store.apply(COUNTERS, "a", 2, null, c -> new Counter("a", 7, 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("recorded position 1");
        assertThat(store.one(COUNTERS, "a").count()).isZero();
    }
}
