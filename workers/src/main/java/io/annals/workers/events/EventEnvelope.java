package io.annals.workers.events;

import java.time.Instant;

/** One event read from {@code annals.events}, decoded into its published-language record. */
public record EventEnvelope(String eventId, String type, String aggregateId, Instant timestamp, String actor,
                            String correlationId, Object payload) {
}
