package io.annals.query.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.annals.command.api.audit.AuditEntry;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.EventTypes;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.common.WireName;
import io.annals.query.elastic.Positions;
import io.annals.query.elastic.ReadModel;
import io.annals.query.elastic.ReadModelStore;
import java.io.IOException;
import java.util.Objects;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializationException;
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
        String[] why = why(event);
        store.put(AUDIT, event.getIdentifier(), new AuditEntry(event.getIdentifier(), Positions.of(token),
                type.name(), type.schemaVersion(), stream, entityKind, entityId, entityType, sequence,
                event.getTimestamp(), why[ACTOR] == null ? null : Actor.of(why[ACTOR]), why[CORRELATION],
                why[CAUSATION], event.serializePayload(events, String.class).getData()));
    }

    private static final int ACTOR = 0;
    private static final int CORRELATION = 1;
    private static final int CAUSATION = 2;
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * The actor, correlation id and causation id of an event. Its metadata as stored is a JSON object, read here for
     * those three fields alone: reading all of it into a map was a tenth of a rebuild's CPU. Metadata in any other
     * form (those fields not strings, or not JSON) is read the usual way.
     */
    private String[] why(EventMessage<?> event) {
        String[] found = new String[3];
        try (JsonParser json = JSON.createParser(event.serializeMetaData(events, byte[].class).getData())) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return whyFromMap(event);
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                int field = switch (json.currentName()) {
                    case MetadataKeys.ACTOR -> ACTOR;
                    case MetadataKeys.CORRELATION_ID -> CORRELATION;
                    case MetadataKeys.CAUSATION_ID -> CAUSATION;
                    default -> -1;
                };
                JsonToken value = json.nextToken();
                if (field < 0) {
                    json.skipChildren();
                } else if (value == JsonToken.VALUE_STRING) {
                    found[field] = json.getText();
                } else if (value != JsonToken.VALUE_NULL) {
                    return whyFromMap(event);
                }
            }
            return found;
        } catch (IOException | SerializationException notJson) {
            return whyFromMap(event);
        }
    }

    private static String[] whyFromMap(EventMessage<?> event) {
        MetaData metaData = event.getMetaData();
        return new String[] {Objects.toString(metaData.get(MetadataKeys.ACTOR), null),
                Objects.toString(metaData.get(MetadataKeys.CORRELATION_ID), null),
                Objects.toString(metaData.get(MetadataKeys.CAUSATION_ID), null)};
    }

    @ResetHandler
    void reset() {
        store.startGeneration(AUDIT);
    }
}
