package io.annals.command.api.audit;

import io.annals.command.api.common.EntityKind;
import java.time.Instant;

/**
 * Recorded events in the order they were stored, filtered by any of: the entity (its public name, and its kind such
 * as {@code model} to tell a model from a dataset of the same name), the actor, the event
 * type (wire name, such as {@code annals.TrainingRunCompleted}) and a time range. {@code after} is the cursor of
 * the last event of the previous page. Answers a {@code Page<AuditEntry>}.
 */
public record FindAuditEvents(String entityKind, String entityId, String actor, String eventType, Instant from,
                              Instant to, int first,
                              String after) {

    public FindAuditEvents {
        if (entityKind != null && !entityKind.isBlank()) {
            EntityKind.ofPrefix(entityKind);
        }
        if (first < 1 || first > 500) {
            throw new IllegalArgumentException("first must be between 1 and 500, got " + first);
        }
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("the time range ends (" + to + ") before it starts (" + from + ")");
        }
    }
}
