package io.annals.command.api.common;

import java.time.Instant;

/**
 * One prediction as logged to {@code annals.scores} (JSON, keyed by endpoint).
 *
 * @param score          the probability (binary), the estimate (regression) or the top class's probability
 * @param predictedClass the predicted class of a multi-class model; null otherwise (and in records written before it)
 */
public record ScoreRecord(String requestId, String endpoint, String model, int version, int revision, double score,
                          Instant at, String predictedClass) {

    public ScoreRecord(String requestId, String endpoint, String model, int version, int revision, double score,
                       Instant at) {
        this(requestId, endpoint, model, version, revision, score, at, null);
    }

    public static final String WIRE_NAME = "annals.Score";
    public static final int SCHEMA_VERSION = 1;
}
