package io.annals.query.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import java.io.StringWriter;

/**
 * How an audit entry is kept in Elasticsearch (a Jackson mix-in for {@link io.annals.command.api.audit.AuditEntry} in
 * the read models' mapper): its payload as the JSON it is, not as a string holding JSON. The payload comes from the
 * event store already as JSON, so it is written as it is; escaping it into a string was a fifth of a rebuild's own CPU.
 * Read back, it is the JSON text again. The payload is not mapped (the index's mapping is not dynamic), so
 * Elasticsearch keeps it in the source and indexes none of it, whatever its shape.
 */
public abstract class AuditDocument {

    @JsonRawValue
    @JsonDeserialize(using = JsonText.class)
    abstract String payload();

    /** The JSON value at the parser as its text (a string value as the string, in documents of the older form). */
    static final class JsonText extends JsonDeserializer<String> {

        @Override
        public String deserialize(JsonParser json, DeserializationContext context) throws IOException {
            if (json.currentToken() == JsonToken.VALUE_STRING) {
                return json.getText();
            }
            StringWriter text = new StringWriter(256);
            try (JsonGenerator copy = json.getCodec().getFactory().createGenerator(text)) {
                copy.copyCurrentStructure(json);
            }
            return text.toString();
        }
    }
}
