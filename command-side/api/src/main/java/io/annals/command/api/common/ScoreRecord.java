package io.annals.command.api.common;

import java.time.Instant;

/** One prediction as logged to {@code annals.scores} (JSON, keyed by endpoint). */
public record ScoreRecord(String requestId, String endpoint, String model, int version, int revision, double score,
                          Instant at) {

    public static final String WIRE_NAME = "annals.Score";
    public static final int SCHEMA_VERSION = 1;
}
