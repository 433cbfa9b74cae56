package io.annals.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.annals.command.api.audit.AuditEntry;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetRegistered;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.query.elastic.InMemoryReadModels;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedMessage;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

class AuditProjectionTest {

    private final InMemoryReadModels store = new InMemoryReadModels();
    private final JacksonSerializer serializer = JacksonSerializer.builder()
            .objectMapper(JsonMapper.builder().addModule(new JavaTimeModule()).build()).build();
    private final AuditProjection projection = new AuditProjection(store, serializer);

    @Test
    void givenAnEvent_thenTheEntryRecordsWhoWhatWhenWhereAndWhy() {
        DatasetRegistered payload = new DatasetRegistered(DatasetName.of("loans"),
                new DatasetSchema(List.of(new ColumnSpec("x", ColumnType.DOUBLE, false))), "applications");
        var event = new GenericDomainEventMessage<>("Dataset", "dataset:loans", 0, payload,
                MetaData.from(Map.of(MetadataKeys.ACTOR, "user:alice", MetadataKeys.CORRELATION_ID, "c-1",
                        MetadataKeys.CAUSATION_ID, "c-0")));

        projection.on(event, new GlobalSequenceTrackingToken(42));
        projection.on(event, new GlobalSequenceTrackingToken(42));

        assertThat(store.all(AuditProjection.AUDIT)).hasSize(1);
        AuditEntry entry = store.one(AuditProjection.AUDIT, event.getIdentifier());
        assertThat(entry.type()).isEqualTo("annals.DatasetRegistered");
        assertThat(entry.schemaVersion()).isEqualTo(1);
        assertThat(entry.stream()).isEqualTo("dataset:loans");
        assertThat(entry.entityKind()).isEqualTo("dataset");
        assertThat(entry.entityId()).isEqualTo("loans");
        assertThat(entry.sequence()).isZero();
        assertThat(entry.position()).isEqualTo(42);
        assertThat(entry.timestamp()).isEqualTo(event.getTimestamp());
        assertThat(entry.actor().value()).isEqualTo("user:alice");
        assertThat(entry.correlationId()).isEqualTo("c-1");
        assertThat(entry.causationId()).isEqualTo("c-0");
        assertThat(entry.payload()).contains("\"description\":\"applications\"");
    }

    @Test
    void givenStoredMetadataWithMoreFields_thenTheEntryTakesItsActorAndIds() {
        var event = stored(Map.of("traceId", "t-1", MetadataKeys.ACTOR, "user:bob", "nested",
                Map.of("list", List.of(1, Map.of(MetadataKeys.ACTOR, "user:mallory"))),
                MetadataKeys.CORRELATION_ID, "c-\"2\"", MetadataKeys.CAUSATION_ID, "c-1"));

        projection.on(event, new GlobalSequenceTrackingToken(7));

        AuditEntry entry = store.one(AuditProjection.AUDIT, event.getIdentifier());
        assertThat(entry.actor().value()).isEqualTo("user:bob");
        assertThat(entry.correlationId()).isEqualTo("c-\"2\"");
        assertThat(entry.causationId()).isEqualTo("c-1");
    }

    @Test
    void givenMetadataOfAnotherShape_thenItIsReadAsAMap() {
        var event = stored(Map.of(MetadataKeys.ACTOR, "user:bob", MetadataKeys.CORRELATION_ID, 17));

        projection.on(event, new GlobalSequenceTrackingToken(8));

        AuditEntry entry = store.one(AuditProjection.AUDIT, event.getIdentifier());
        assertThat(entry.actor().value()).isEqualTo("user:bob");
        assertThat(entry.correlationId()).isEqualTo("17");
        assertThat(entry.causationId()).isNull();
    }

    /** An event as read from the store: its payload and metadata still in their serialised form. */
    private GenericDomainEventMessage<?> stored(Map<String, ?> metaData) {
        DatasetRegistered payload = new DatasetRegistered(DatasetName.of("loans"),
                new DatasetSchema(List.of(new ColumnSpec("x", ColumnType.DOUBLE, false))), "applications");
        var serialized = new SerializedMessage<>(UUID.randomUUID().toString(),
                serializer.serialize(payload, byte[].class), serializer.serialize(MetaData.from(metaData), byte[].class),
                serializer);
        return new GenericDomainEventMessage<>("Dataset", "dataset:loans", 3, serialized, Instant::now);
    }
}
