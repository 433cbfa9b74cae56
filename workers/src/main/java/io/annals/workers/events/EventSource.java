package io.annals.workers.events;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where a worker reads the event log from: {@link EventStream} follows {@code annals.events} on Kafka; a test gives
 * a list of events instead, to check a worker's decisions without Kafka.
 */
public interface EventSource extends AutoCloseable {

    /** The next events, each once, waiting at most {@code timeout} for some. */
    List<EventEnvelope> poll(Duration timeout);

    /** True once everything that was in the log when the source started has been delivered. */
    boolean caughtUp();

    /**
     * Called by the worker after it applied what it polled, with the events its state rests on: a source that keeps
     * snapshots writes one when it is due (see {@link EventStream}); others ignore it.
     */
    default void offerSnapshot(Supplier<List<EventEnvelope>> retained) {
    }

    /** Makes a blocked {@link #poll} return at once. */
    void wakeup();

    @Override
    void close();
}
