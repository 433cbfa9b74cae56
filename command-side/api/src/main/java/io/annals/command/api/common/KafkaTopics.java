package io.annals.command.api.common;

/** Topic and header names of the event and score streams: part of the published language. */
public final class KafkaTopics {

    public static final String EVENTS = "annals.events";
    public static final String SCORES = "annals.scores";
    /** Compacted: the latest snapshot of each worker kind's state, keyed by the worker's name. */
    public static final String WORKER_SNAPSHOTS = "annals.worker-snapshots";

    public static final String HEADER_EVENT_TYPE = "annals-event-type";
    public static final String HEADER_SCHEMA_VERSION = "annals-schema-version";
    /** The event's position in the log (the event store's global index), as {@code auditEvents} shows it. */
    public static final String HEADER_POSITION = "annals-position";
    public static final String HEADER_EVENT_ID = "annals-event-id";
    public static final String HEADER_AGGREGATE_ID = "annals-aggregate-id";
    public static final String HEADER_SEQUENCE = "annals-aggregate-sequence";
    public static final String HEADER_TIMESTAMP = "annals-timestamp";
    public static final String HEADER_ACTOR = "annals-actor";
    public static final String HEADER_CORRELATION_ID = "annals-correlation-id";
    public static final String HEADER_CAUSATION_ID = "annals-causation-id";

    private KafkaTopics() {
    }
}
