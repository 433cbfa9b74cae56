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
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

class AuditProjectionTest {

    private final InMemoryReadModels store = new InMemoryReadModels();
    private final AuditProjection projection = new AuditProjection(store, JacksonSerializer.builder()
            .objectMapper(JsonMapper.builder().addModule(new JavaTimeModule()).build()).build());

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
}
