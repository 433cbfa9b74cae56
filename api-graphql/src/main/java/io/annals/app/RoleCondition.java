package io.annals.app;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** True when {@code annals.roles} names the role, or is "all". */
public abstract class RoleCondition implements Condition {

    static final Set<String> KNOWN = Set.of("all", "command", "query", "api", "training-worker", "serving-worker",
            "drift-monitor", "webhook-dispatcher");

    private final String role;

    RoleCondition(String role) {
        this.role = role;
    }

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Set<String> roles = Arrays.stream(context.getEnvironment().getProperty("annals.roles", "all").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        for (String r : roles) {
            if (!KNOWN.contains(r)) {
                throw new IllegalArgumentException("unknown role '" + r + "' in annals.roles; known: " + KNOWN);
            }
        }
        return roles.contains("all") || roles.contains(role);
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
