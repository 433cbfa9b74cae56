package io.annals.command.api.access;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a principal may do, named {@code <kind>:<action>} after the kind of resource it acts on ({@code read} acts on
 * everything). Roles are sets of permissions; grants give or deny one permission on resources matching a pattern.
 */
public enum Permission {
    /** Every query, subscription and download. */
    READ("read", null),
    DATASET_WRITE("dataset:write", "dataset"),
    FEATURE_SET_WRITE("feature-set:write", "feature-set"),
    MODEL_TRAIN("model:train", "model"),
    MODEL_WRITE("model:write", "model"),
    /** Evaluate a version on a batch; a training worker records the result. */
    MODEL_EVALUATE("model:evaluate", "model"),
    ENDPOINT_DEPLOY("endpoint:deploy", "endpoint"),
    ENDPOINT_MONITOR("endpoint:monitor", "endpoint"),
    ENDPOINT_PREDICT("endpoint:predict", "endpoint"),
    PROJECTION_REBUILD("projection:rebuild", "projection"),
    /** Grant and revoke roles and permissions. */
    ACCESS_MANAGE("access:manage", "principal"),
    /** Create and revoke API tokens; every principal holds it on itself. */
    TOKEN_MANAGE("token:manage", "principal"),
    /** Claim a training run, record its epochs, complete or fail it. */
    RUN_EXECUTE("run:execute", "run"),
    /** Register the model version of a completed run, or record why it could not be. */
    MODEL_REGISTER("model:register", "model"),
    TRAINING_SET_EXECUTE("training-set:execute", "training-set"),
    ALERT_RAISE("alert:raise", "endpoint"),
    /** Register, remove and replay webhooks, and read them and their deliveries. */
    WEBHOOK_MANAGE("webhook:manage", "webhook"),
    /** Deliver events to webhooks: record attempts, take replays on. */
    WEBHOOK_DELIVER("webhook:deliver", "webhook"),
    /** Register, pause, resume and trigger pipelines. */
    PIPELINE_WRITE("pipeline:write", "pipeline"),
    /** Record a pipeline run's progress: its runner's steps. */
    PIPELINE_RUN("pipeline:run", "pipeline");

    private final String id;
    private final String resourceKind;

    Permission(String id, String resourceKind) {
        this.id = id;
        this.resourceKind = resourceKind;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** The kind of resource it acts on, or null for {@link #READ}, which acts on everything. */
    public String resourceKind() {
        return resourceKind;
    }

    @JsonCreator
    public static Permission of(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("'" + id + "' is not a permission; permissions: "
                        + Arrays.stream(values()).map(Permission::id).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return id;
    }
}
