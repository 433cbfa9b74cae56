package io.annals.workers.serving;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * What a serving route answers: its status, the bytes of its body and their type, and at most one header more (the
 * binary tensor extension's {@value OpenInferenceRoutes#HEADER_LENGTH}). {@link ServingServlet} or {@link DataPlaneServer} writes it; a null type is a reply without a body
 * ({@code OPTIONS}).
 */
record ServingReply(int status, String contentType, byte[] body, String header, String headerValue) {

    static final String JSON_TYPE = "application/json";

    static ServingReply json(int status, byte[] body) {
        return new ServingReply(status, JSON_TYPE, body, null, null);
    }

    /** {@code value} written with the routes' own Jackson ({@link ServingJson}). */
    static ServingReply json(int status, Object value) {
        try {
            return json(status, ServingJson.MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer could not be written as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
