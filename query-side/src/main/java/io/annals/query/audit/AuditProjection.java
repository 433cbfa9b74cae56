package io.annals.query.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.command.api.common.EventTypes;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.common.WireName;
import io.annals.query.elastic.Documents;
import java.util.LinkedHashMap;
import java.util.Map;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Every event, as recorded, into the audit index: who (the authenticated actor), what (type, entity, payload),
 * when, and what caused it (correlation and causation ids). The document id is the event id, so delivering an
 * event twice writes the same document.
 */
@ProcessingGroup(AuditProjection.PROCESSING_GROUP)
public class AuditProjection {

    public static final String PROCESSING_GROUP = "audit-projection";
    public static final String INDEX = "annals-audit-v1";
    static final String MAPPING = """
            {"eventId":{"type":"keyword"},"position":{"type":"long"},"type":{"type":"keyword"},
             "schemaVersion":{"type":"integer"},"stream":{"type":"keyword"},"entityKind":{"type":"keyword"},"entityId":{"type":"keyword"},"entityType":{"type":"keyword"},
             "sequence":{"type":"long"},"timestamp":{"type":"date"},"actor":{"type":"keyword"},
             "correlationId":{"type":"keyword"},"causationId":{"type":"keyword"}}""";

    private final Documents documents;
    private final ObjectMapper json;

    public AuditProjection(Documents documents, @Qualifier("defaultAxonObjectMapper") ObjectMapper json) {
        this.documents = documents;
        documents.declare(INDEX, MAPPING);
        this.json = json;
    }

    @EventHandler
    void on(Object payload, EventMessage<?> event, TrackingToken token) throws Exception {
        documents.ensureIndex(INDEX);
        WireName type = EventTypes.wireName(payload.getClass());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("eventId", event.getIdentifier());
        doc.put("position", token == null ? null : token.position().orElse(-1));
        doc.put("type", type.name());
        doc.put("schemaVersion", type.schemaVersion());
        if (event instanceof DomainEventMessage<?> domain) {
            StreamId stream = StreamId.parse(domain.getAggregateIdentifier());
            doc.put("stream", stream.toString());
            doc.put("entityKind", stream.kind().prefix());
            doc.put("entityId", stream.name());
            doc.put("entityType", domain.getType());
            doc.put("sequence", domain.getSequenceNumber());
        }
        doc.put("timestamp", event.getTimestamp().toString());
        doc.put("actor", event.getMetaData().get(MetadataKeys.ACTOR));
        doc.put("correlationId", event.getMetaData().get(MetadataKeys.CORRELATION_ID));
        doc.put("causationId", event.getMetaData().get(MetadataKeys.CAUSATION_ID));
        doc.put("payload", json.writeValueAsString(payload));
        documents.put(INDEX, event.getIdentifier(), doc);
    }

    @ResetHandler
    void reset() {
        documents.startGeneration(INDEX);
    }
}
