package io.annals.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.command.api.audit.AuditEntry;
import io.annals.query.elastic.ElasticsearchConfiguration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An audit entry's document keeps the payload as the JSON it is, and reads back the same text. */
class AuditDocumentTest {

    private final ObjectMapper documents = ElasticsearchConfiguration.readModelMapper();

    private static AuditEntry entry(String payload) {
        return new AuditEntry("e-1", 7, "annals.DatasetRegistered", 1, "dataset:loans", "dataset", "loans", "Dataset",
                0L, Instant.parse("2026-12-04T08:00:00Z"), null, "c-1", "c-0", payload);
    }

    @Test
    void givenAnEntry_thenItsDocumentHoldsThePayloadAsJson_andReadsBackTheSameText() throws Exception {
        String payload = "{\"name\":\"loans\",\"schema\":{\"columns\":[{\"name\":\"x\",\"type\":\"DOUBLE\"}]},"
                + "\"description\":\"say \\\"hi\\\" \\u00e9\",\"rate\":1.0E-5,\"n\":3}";

        String document = documents.writeValueAsString(entry(payload));

        JsonNode tree = documents.readTree(document);
        assertThat(tree.get("payload").isObject()).as(document).isTrue();
        assertThat(tree.at("/payload/schema/columns/0/name").asText()).isEqualTo("x");
        assertThat(tree.at("/payload/description").asText()).isEqualTo("say \"hi\" \u00e9");
        AuditEntry read = documents.readValue(document, AuditEntry.class);
        assertThat(documents.readTree(read.payload())).isEqualTo(documents.readTree(payload));
        assertThat(read).isEqualTo(entry(read.payload()));
        // through a tree, as query pages read hits
        assertThat(documents.treeToValue(tree, AuditEntry.class).payload()).isEqualTo(read.payload());
    }

    @Test
    void givenADocumentOfTheOlderForm_thenItsStringPayloadReadsAsItIs() throws Exception {
        String older = documents.writeValueAsString(entry("{}")).replace("\"payload\":{}",
                "\"payload\":\"{\\\"name\\\":\\\"loans\\\"}\"");

        assertThat(documents.readValue(older, AuditEntry.class).payload()).isEqualTo("{\"name\":\"loans\"}");
    }
}
