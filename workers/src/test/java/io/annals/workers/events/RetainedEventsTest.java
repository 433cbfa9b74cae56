package io.annals.workers.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetainedEventsTest {

    private record Opened(String id) {
    }

    private record Leased(String id, int until) {
    }

    private record Expired(String id) {
    }

    private static EventEnvelope e(Object payload) {
        return new EventEnvelope(payload.toString(), payload.getClass().getSimpleName(), "test", Instant.EPOCH,
                "user:test", "c", payload);
    }

    @Test
    void givenEntitiesChanging_thenTheEventsKeptAreTheLastOfEachTypeInOrder_andClosedEntitiesAreGone() {
        RetainedEvents kept = new RetainedEvents();
        kept.add("a", e(new Opened("a")));
        kept.add("b", e(new Opened("b")));
        kept.replaceType("a", e(new Leased("a", 1)));
        kept.replaceType("a", e(new Expired("a")));
        kept.replaceType("a", e(new Leased("a", 2)));
        kept.replaceType("ghost", e(new Leased("ghost", 1)));
        kept.addIfKept("ghost", e(new Expired("ghost")));
        kept.add("c", e(new Opened("c")));
        kept.remove("b");

        assertThat(kept.events()).extracting(EventEnvelope::payload).containsExactly(new Opened("a"),
                new Expired("a"), new Leased("a", 2), new Opened("c"));
        assertThat(kept.contains("ghost")).isFalse();
    }

    @Test
    void givenSetAndMove_thenAnEntityIsReplacedInItsPlace_andMovedEventsGoBeforeTheNewOnes() {
        RetainedEvents kept = new RetainedEvents();
        kept.set("endpoint:x", e(new Leased("x", 1)));
        kept.set("endpoint:y", e(new Leased("y", 1)));
        kept.set("endpoint:x", e(new Leased("x", 2)));
        kept.add("profile:r", e(new Opened("r")));
        kept.move("profile:r", "version:1");
        kept.add("version:1", e(new Leased("v", 1)));
        kept.move("profile:missing", "version:1");

        assertThat(kept.events()).extracting(EventEnvelope::payload).containsExactly(new Leased("x", 2),
                new Leased("y", 1), new Opened("r"), new Leased("v", 1));
    }
}
