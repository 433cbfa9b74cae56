package io.annals.app.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.app.records.CommandRecords.StoredEvent;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.EventTypes;
import io.annals.infra.clients.WireJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A read of the record as one Annals process asks another, and the answer, as JSON:
 * <pre>
 * POST /internal/records   Authorization: Bearer &lt;internal token&gt;
 * {"read": "stream", "stream": "access:user:ana", "from": 0, "upTo": null, "limit": 1000}
 *   200 {"events": [{"sequence": 0, "type": "annals.RoleGranted", "payload": {...}, "at": "...", "by": "user:admin"}]}
 * {"read": "principals"}                                  200 {"principals": ["user:ana", ...]}
 * {"read": "schema", "dataset": "loans"}                  200 {"schema": {...}}   (null for an unknown dataset)
 * {"read": "batch", "batch": {"dataset": ..., "batchId": ...}}   200 {"batch": {...}}   (null likewise)
 * {"read": "token-used", "tokenId": "...", "at": "..."}   200 {}
 * {"read": "tokens-last-used", "tokens": ["...", ...]}    200 {"lastUsed": {"&lt;token id&gt;": "...", ...}}
 * 400 {"error": {"kind": "invalid", "message": "..."}}   401 {"error": {"kind": "unauthorized", ...}}
 * </pre>
 * Payloads are the published language's records under their wire names ({@link EventTypes}), as on
 * {@code annals.events}; an event type this build does not know is left out, as the workers leave it out.
 */
final class RecordWire {

    static final String PATH = "/internal/records";
    /** Events of one stream per answer; a longer stream is read page by page. */
    static final int PAGE = 1000;
    /** The largest request accepted (a list of token ids is the largest there is). */
    static final int MAX_BYTES = 256 * 1024;

    private static final ObjectMapper JSON = WireJson.mapper();

    private RecordWire() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static ObjectNode request(String read) {
        return object().put("read", read);
    }

    static ObjectNode events(List<StoredEvent> events) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("events");
        for (StoredEvent e : events) {
            ObjectNode node = list.addObject().put("sequence", e.sequence())
                    .put("type", EventTypes.wireName(e.payload().getClass()).name());
            node.set("payload", JSON.valueToTree(e.payload()));
            node.put("at", e.at().toString());
            node.put("by", e.by() == null ? null : e.by().value());
        }
        return body;
    }

    /** The events of an answer; one of a type this build does not know has a null payload (and still its sequence). */
    static List<StoredEvent> events(JsonNode answer) {
        List<StoredEvent> events = new ArrayList<>();
        for (JsonNode node : answer.path("events")) {
            Optional<Class<?>> type = EventTypes.typeOf(node.path("type").asText());
            Object payload = type.isEmpty() ? null : convert(node.path("payload"), type.get());
            String by = node.path("by").isTextual() ? node.path("by").asText() : null;
            events.add(new StoredEvent(node.path("sequence").asLong(), payload, Instant.parse(node.path("at")
                    .asText()), by == null ? null : Actor.of(by)));
        }
        return events;
    }

    static <T> T convert(JsonNode node, Class<T> type) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        try {
            return JSON.treeToValue(node, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    static String text(JsonNode request, String field) {
        JsonNode value = request.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("'" + field + "' must be a non-empty string");
        }
        return value.asText();
    }

    static Instant instant(JsonNode request, String field) {
        JsonNode value = request.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + field + "' must be an ISO-8601 instant, not '" + value.asText()
                    + "'");
        }
    }

    static JsonNode read(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object with a 'read' field");
            }
            return root;
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getMessage());
        }
    }

    static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
