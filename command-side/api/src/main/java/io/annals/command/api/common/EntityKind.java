package io.annals.command.api.common;

import java.util.Arrays;

/**
 * The kinds of entity that have a stream of their own in the event log. Each kind is a separate identifier space:
 * a dataset and a model may share a public name because their streams are {@code dataset:loans} and
 * {@code model:loans}.
 */
public enum EntityKind {
    DATASET("dataset"),
    TRAINING_RUN("run"),
    MODEL("model"),
    ENDPOINT("endpoint"),
    DRIFT_ALERT("alert"),
    FEATURE_SET("feature-set"),
    TRAINING_SET("training-set"),
    /** The roles, grants and API tokens of one principal: {@code access:user:alice}. */
    ACCESS("access"),
    WEBHOOK("webhook"),
    /** The attempts to deliver one event to one webhook: {@code webhook-delivery:<webhook>/<event id>}. */
    WEBHOOK_DELIVERY("webhook-delivery"),
    /** A pipeline's definitions and its runs: {@code pipeline:nightly-risk}. */
    PIPELINE("pipeline");

    private final String prefix;

    EntityKind(String prefix) {
        this.prefix = prefix;
    }

    /** The word before the colon of a stream id; it is also the audit log's entity kind. */
    public String prefix() {
        return prefix;
    }

    public static EntityKind ofPrefix(String prefix) {
        return Arrays.stream(values()).filter(k -> k.prefix.equals(prefix)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("'" + prefix + "' is not an entity kind; kinds: "
                        + String.join(", ", Arrays.stream(values()).map(EntityKind::prefix).toList())));
    }
}
