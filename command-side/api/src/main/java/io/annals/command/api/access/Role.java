package io.annals.command.api.access;

import static io.annals.command.api.access.Permission.ALERT_RAISE;
import static io.annals.command.api.access.Permission.DATASET_WRITE;
import static io.annals.command.api.access.Permission.ENDPOINT_DEPLOY;
import static io.annals.command.api.access.Permission.ENDPOINT_MONITOR;
import static io.annals.command.api.access.Permission.ENDPOINT_PREDICT;
import static io.annals.command.api.access.Permission.FEATURE_SET_WRITE;
import static io.annals.command.api.access.Permission.MODEL_EVALUATE;
import static io.annals.command.api.access.Permission.MODEL_REGISTER;
import static io.annals.command.api.access.Permission.MODEL_TRAIN;
import static io.annals.command.api.access.Permission.MODEL_WRITE;
import static io.annals.command.api.access.Permission.READ;
import static io.annals.command.api.access.Permission.RUN_EXECUTE;
import static io.annals.command.api.access.Permission.TRAINING_SET_EXECUTE;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The built-in roles: each is a fixed set of permissions on every resource. The first four are for people; the
 * others are the least that each worker of the platform needs, and belong to its service principal alone.
 */
public enum Role {
    VIEWER("viewer", false, READ),
    DATA_SCIENTIST("data-scientist", false, READ, DATASET_WRITE, FEATURE_SET_WRITE, MODEL_TRAIN, MODEL_WRITE,
            MODEL_EVALUATE, ENDPOINT_PREDICT, Permission.PIPELINE_WRITE),
    DEPLOYER("deployer", false, READ, ENDPOINT_DEPLOY, ENDPOINT_MONITOR, ENDPOINT_PREDICT),
    ADMIN("admin", false, Permission.values()),
    /**
     * {@code service:training-worker/<id>}: trains runs (the registration of their versions follows from it) and
     * evaluates versions.
     */
    TRAINING_WORKER("training-worker", true, READ, RUN_EXECUTE, MODEL_REGISTER, MODEL_EVALUATE),
    /** {@code service:training-set-worker/<id>}: writes training sets as batches of their output datasets. */
    TRAINING_SET_WORKER("training-set-worker", true, READ, TRAINING_SET_EXECUTE, DATASET_WRITE),
    /** {@code service:drift-monitor}: raises drift alerts. */
    DRIFT_MONITOR("drift-monitor", true, READ, ALERT_RAISE),
    /** {@code service:rollout-guard}: rolls back an endpoint that opted in, when a drift alert says so. */
    ROLLOUT_GUARD("rollout-guard", true, READ, ENDPOINT_DEPLOY),
    /** {@code service:webhook-dispatcher}: delivers events to webhooks and records each attempt. */
    WEBHOOK_DISPATCHER("webhook-dispatcher", true, READ, Permission.WEBHOOK_DELIVER),
    /**
     * {@code service:pipeline/<name>}: what a pipeline's steps do — materialise training sets, train, evaluate, move
     * its alias, deploy — and records its runs' progress.
     */
    PIPELINE("pipeline", true, READ, DATASET_WRITE, MODEL_TRAIN, MODEL_EVALUATE, MODEL_WRITE, ENDPOINT_DEPLOY,
            Permission.PIPELINE_RUN);

    private final String id;
    private final boolean service;
    private final Set<Permission> permissions;

    Role(String id, boolean service, Permission... permissions) {
        this.id = id;
        this.service = service;
        this.permissions = Set.copyOf(EnumSet.copyOf(Arrays.asList(permissions)));
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** A role of one of the platform's own workers, which is not granted: its service principal has it. */
    public boolean service() {
        return service;
    }

    public Set<Permission> permissions() {
        return permissions;
    }

    public boolean allows(Permission permission) {
        return permissions.contains(permission);
    }

    @JsonCreator
    public static Role of(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id) || r.name().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + id + "' is not a role; roles: "
                        + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return id;
    }
}
