package io.annals.app;

import io.annals.infra.clients.AnnalsRoles;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** True when {@code annals.roles} names the role, or is "all". */
public abstract class RoleCondition implements Condition {

    private final String role;

    RoleCondition(String role) {
        this.role = role;
    }

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return AnnalsRoles.runs(context.getEnvironment(), role);
    }

    public static final class Command extends RoleCondition {
        public Command() {
            super("command");
        }
    }

    /** The process does not run the command role: its commands go to one that does. */
    static final class NotCommand implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !new Command().matches(context, metadata);
        }
    }

    static final class Api extends RoleCondition {
        Api() {
            super("api");
        }
    }

    static final class Query extends RoleCondition {
        Query() {
            super("query");
        }
    }

    static final class TrainingWorker extends RoleCondition {
        TrainingWorker() {
            super("training-worker");
        }
    }

    static final class ServingWorker extends RoleCondition {
        ServingWorker() {
            super("serving-worker");
        }
    }

    static final class DriftMonitor extends RoleCondition {
        DriftMonitor() {
            super("drift-monitor");
        }
    }

    static final class WebhookDispatcher extends RoleCondition {
        WebhookDispatcher() {
            super("webhook-dispatcher");
        }
    }
}
