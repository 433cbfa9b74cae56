package io.annals.command.api.audit;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.Positioned;
import java.time.Instant;

/**
 * One recorded event as the audit log keeps it: what (type, entity, payload as JSON), who (the authenticated
 * actor), when, where in the log, and what caused it.
 */
public record AuditEntry(String eventId, long position, String type, int schemaVersion, String stream,
                         String entityKind, String entityId, String entityType, Long sequence, Instant timestamp,
                         Actor actor, String correlationId, String causationId, String payload) implements Positioned {
}
