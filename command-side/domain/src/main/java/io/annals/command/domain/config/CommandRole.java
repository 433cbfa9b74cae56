package io.annals.command.domain.config;

import io.annals.infra.clients.AnnalsRoles;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * True in a process that runs the {@code command} role. What follows the event store from the command side — the
 * Kafka publisher and the policies that turn events into commands — runs only there: a worker or query process
 * neither publishes the log nor decides for it, whatever segments are free in the token store.
 */
public final class CommandRole implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return AnnalsRoles.runs(context.getEnvironment(), "command");
    }
}
