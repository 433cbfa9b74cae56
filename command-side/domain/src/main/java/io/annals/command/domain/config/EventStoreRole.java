package io.annals.command.domain.config;

import io.annals.infra.clients.AnnalsRoles;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * True in a process that opens the event store: one with the {@code command} role (it appends) or the {@code query}
 * role (its projections read the log and keep their tokens beside it). Any other process has no database at all.
 */
public final class EventStoreRole implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return AnnalsRoles.usesEventStore(context.getEnvironment());
    }
}
