package io.annals.command.api.common;

/** Metadata every event carries. The actor always comes from the authenticated caller, never from input. */
public final class MetadataKeys {

    public static final String ACTOR = "actor";
    public static final String CORRELATION_ID = "correlationId";
    public static final String CAUSATION_ID = "causationId";

    private MetadataKeys() {
    }
}
