package io.annals.command.api.common;

import java.time.Instant;
import java.util.Map;

/**
 * One prediction as logged to {@code annals.scores} (JSON, keyed by endpoint).
 *
 * @param score          the probability (binary), the estimate (regression) or the top class's probability
 * @param predictedClass the predicted class of a multi-class model; null otherwise (and in records written before it)
 * @param shadow         whether a shadow version made it from a mirrored request: it was never returned
 * @param shadowOf       for a shadow score, what the answering version returned for the same row; null otherwise
 * @param features       the row's input values by feature name (a number, a string, or null when empty), when the
 *                       serving process logged this row's features (it samples them); null otherwise and for shadows
 * @param failure        not a score: a request this version was chosen for and did not answer (its status, and the
 *                       rows it carried); null for a score and in records written before it
 */
public record ScoreRecord(String requestId, String endpoint, String model, int version, int revision, double score,
                          Instant at, String predictedClass, boolean shadow, Answered shadowOf,
                          Map<String, Object> features, Failure failure) {

    /** A request refused after a version was chosen for it: its HTTP status and how many rows it carried. */
    public record Failure(int status, int rows) {
    }

    /** A request the version was chosen for and did not answer. */
    public static ScoreRecord failed(String requestId, String endpoint, String model, int version, int revision,
                                     Instant at, int status, int rows) {
        return new ScoreRecord(requestId, endpoint, model, version, revision, 0, at, null, false, null, null,
                new Failure(status, Math.max(1, rows)));
    }

    public ScoreRecord(String requestId, String endpoint, String model, int version, int revision, double score,
                       Instant at, String predictedClass, boolean shadow, Answered shadowOf,
                       Map<String, Object> features) {
        this(requestId, endpoint, model, version, revision, score, at, predictedClass, shadow, shadowOf, features,
                null);
    }

    /** The answer a shadow score is compared with: the version that answered and its score (and class). */
    public record Answered(String model, int version, double score, String predictedClass) {
    }

    public ScoreRecord {
        if (shadow != (shadowOf != null)) {
            throw new IllegalArgumentException("a shadow score names the answer it shadows, and only a shadow score");
        }
        if (failure != null && shadow) {
            throw new IllegalArgumentException("a shadow request that failed is not logged");
        }
    }

    public ScoreRecord(String requestId, String endpoint, String model, int version, int revision, double score,
                       Instant at, String predictedClass, boolean shadow, Answered shadowOf) {
        this(requestId, endpoint, model, version, revision, score, at, predictedClass, shadow, shadowOf, null);
    }

    public ScoreRecord(String requestId, String endpoint, String model, int version, int revision, double score,
                       Instant at, String predictedClass) {
        this(requestId, endpoint, model, version, revision, score, at, predictedClass, false, null);
    }

    public ScoreRecord(String requestId, String endpoint, String model, int version, int revision, double score,
                       Instant at) {
        this(requestId, endpoint, model, version, revision, score, at, null);
    }

    public static final String WIRE_NAME = "annals.Score";
    public static final int SCHEMA_VERSION = 3;
}
