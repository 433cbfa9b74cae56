package io.annals.query.audit;

import io.annals.command.api.audit.AuditEntry;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.EventTypes;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.common.WireName;
import io.annals.query.elastic.Positions;
import io.annals.query.elastic.ReadModel;
import io.annals.query.elastic.ReadModelStore;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;

/**
 * Every event, as recorded, into the audit log: who (the authenticated actor), what (type, entity, payload), when,
 * and what caused it (correlation and causation ids). The document id is the event id, so delivering an event twice
 * writes the same document.
 */
@ProcessingGroup(AuditProjection.PROCESSING_GROUP)
public class AuditProjection {

    public static final String PROCESSING_GROUP = "audit-projection";
    public static final ReadModel<AuditEntry> AUDIT = new ReadModel<>("annals-audit-v3", AuditEntry.class, """
            {"eventId":{"type":"keyword"},"position":{"type":"long"},"type":{"type":"keyword"},
             "schemaVersion":{"type":"integer"},"stream":{"type":"keyword"},"entityKind":{"type":"keyword"},
             "entityId":{"type":"keyword"},"entityType":{"type":"keyword"},"sequence":{"type":"long"},
             "timestamp":{"type":"date"},"actor":{"type":"keyword"},"correlationId":{"type":"keyword"},
             "causationId":{"type":"keyword"}}""");

    private final ReadModelStore store;
    private final Serializer events;

    /**
     * @param events the serializer of the event store: an event read from the store already holds its payload as
     *               JSON in that serializer's form, which the audit log keeps as it is, without reading it into a
     *               record and writing it out again
     */
    public AuditProjection(ReadModelStore store, Serializer events) {
        this.store = store;
        this.events = events;
    }

    @EventHandler(payloadType = Object.class)
    void on(EventMessage<?> event, TrackingToken token) {
        WireName type = EventTypes.wireName(event.getPayloadType());
        String stream = null;
        String entityKind = null;
        String entityId = null;
        String entityType = null;
        Long sequence = null;
        if (event instanceof DomainEventMessage<?> domain) {
            StreamId id = StreamId.parse(domain.getAggregateIdentifier());
            stream = id.toString();
            entityKind = id.kind().prefix();
            entityId = id.name();
            entityType = domain.getType();
            sequence = domain.getSequenceNumber();
        }
        Object actor = event.getMetaData().get(MetadataKeys.ACTOR);
        store.put(AUDIT, event.getIdentifier(), new AuditEntry(event.getIdentifier(), Positions.of(token),
                type.name(), type.schemaVersion(), stream, entityKind, entityId, entityType, sequence,
                event.getTimestamp(), actor == null ? null : Actor.of(actor.toString()),
                (String) event.getMetaData().get(MetadataKeys.CORRELATION_ID),
                (String) event.getMetaData().get(MetadataKeys.CAUSATION_ID),
                event.serializePayload(events, String.class).getData()));
    }

    @ResetHandler
    void reset() {
        store.startGeneration(AUDIT);
    }
}
