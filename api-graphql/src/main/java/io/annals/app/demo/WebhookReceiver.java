package io.annals.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The demo's own webhook receiver, on loopback: it checks each delivery's signature as a team's service would, and
 * hands the CloudEvents it got to the demo.
 */
final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A delivery: the event's type and subject, its data, and whether its signature matched. */
    record Delivery(String type, String subject, JsonNode data, boolean signatureValid) {
    }

    private final HttpServer server;
    private final String secret = "demo-" + UUID.randomUUID();
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();

    private WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/annals-demo/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst("X-Annals-Signature");
            JsonNode event = JSON.readTree(body);
            deliveries.add(new Delivery(event.path("type").asText(), event.path("subject").asText(),
                    event.path("data"), signature != null && MessageDigest.isEqual(
                    signature.getBytes(StandardCharsets.US_ASCII), sign(body).getBytes(StandardCharsets.US_ASCII))));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    static WebhookReceiver start() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/annals-demo/hook";
    }

    String secret() {
        return secret;
    }

    private String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first delivery about an endpoint's alert, or null when none came in time. */
    Delivery await(String endpoint, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Delivery next = deliveries.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next != null && endpoint.equals(next.data().path("endpoint").asText())) {
                return next;
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
