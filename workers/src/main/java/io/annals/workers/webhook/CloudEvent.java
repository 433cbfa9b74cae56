package io.annals.workers.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.infra.clients.WireJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An event as a CloudEvents 1.0 structured JSON document, and its signature. Extension attributes (lower-case
 * letters and digits, as the specification requires): {@code annalsposition} (the event's log position),
 * {@code annalsactor} (who did it, as the record says: {@code user:…} or {@code service:…}), {@code annalsreplay}
 * (the replay that sent it, absent for a live delivery).
 */
final class CloudEvent {

    static final String CONTENT_TYPE = "application/cloudevents+json; charset=utf-8";
    static final String SIGNATURE_HEADER = "X-Annals-Signature";

    private CloudEvent() {
    }

    /** The document: {@code data} is the event's payload as stored (JSON). */
    static byte[] body(String id, String type, String source, Instant time, String subject, Long position,
                       String actor, byte[] data, String replayId) {
        ObjectNode event = WireJson.mapper().createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("type", type);
        event.put("source", source);
        event.put("subject", subject);
        event.put("time", time.toString());
        event.put("datacontenttype", "application/json");
        if (position != null) {
            event.put("annalsposition", position);
        }
        if (actor != null) {
            event.put("annalsactor", actor);
        }
        if (replayId != null) {
            event.put("annalsreplay", replayId);
        }
        JsonNode payload;
        try {
            payload = WireJson.mapper().readTree(data);
        } catch (IOException e) {
            payload = event.textNode(new String(data, StandardCharsets.UTF_8));
        }
        event.set("data", payload);
        try {
            return WireJson.mapper().writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code sha256=<hex of HMAC-SHA256(secret, body)>}. */
    static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
