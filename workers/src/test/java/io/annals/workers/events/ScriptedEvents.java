package io.annals.workers.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** An event log for worker tests: the events a test adds, delivered at the next poll; always caught up. */
public final class ScriptedEvents implements EventSource {

    private final List<EventEnvelope> pending = new ArrayList<>();

    public synchronized ScriptedEvents add(Object payload) {
        pending.add(new EventEnvelope(UUID.randomUUID().toString(), payload.getClass().getSimpleName(), "test",
                Instant.now(), "user:test", "correlation-1", payload));
        return this;
    }

    /** Adds events as they were read before, ids and all (a snapshot's). */
    public synchronized ScriptedEvents addAll(List<EventEnvelope> envelopes) {
        pending.addAll(envelopes);
        return this;
    }

    @Override
    public synchronized List<EventEnvelope> poll(Duration timeout) {
        List<EventEnvelope> next = List.copyOf(pending);
        pending.clear();
        return next;
    }

    @Override
    public boolean caughtUp() {
        return true;
    }

    @Override
    public void wakeup() {
    }

    @Override
    public void close() {
    }
}
