package io.annals.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small client of Annals' public API with the JDK's HTTP client: GraphQL queries and mutations over HTTP,
 * subscriptions over WebSocket (graphql-transport-ws), and the REST upload and predict endpoints.
 */
public final class GraphQlClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    // HTTP/1.1: the platform serves plain HTTP, and the client's default (HTTP/2, trying an h2c upgrade on each new
    // connection) only adds a round of negotiation
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public GraphQlClient(String baseUrl, String token) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        this.token = token;
    }

    /** The platform's address, such as http://127.0.0.1:8080. */
    public URI base() {
        return base;
    }

    /** Runs a query or mutation; returns {@code data}, or throws with the server's error messages. */
    public JsonNode execute(String document, Map<String, Object> variables) {
        JsonNode json = response(document, variables);
        if (json.hasNonNull("errors") && json.get("errors").size() > 0) {
            throw new IllegalStateException("GraphQL errors: " + json.get("errors"));
        }
        return json.get("data");
    }

    /** The same client acting with another token. */
    public GraphQlClient withToken(String otherToken) {
        return new GraphQlClient(base.toString(), otherToken);
    }

    /** Runs a query or mutation; returns the whole response, {@code data} and {@code errors}. */
    public JsonNode response(String document, Map<String, Object> variables) {
        try {
            ObjectNode body = JSON.createObjectNode();
            body.put("query", document);
            body.set("variables", JSON.valueToTree(variables));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/graphql"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The response of a JSON or CSV POST to a REST path, as status and JSON body. */
    public record Rest(int status, JsonNode body) {
    }

    public Rest postJson(String path, Object body) {
        try {
            return rest(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Rest postCsv(String path, Path file) {
        try {
            return rest(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofFile(file)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Rest rest(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
            return new Rest(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Opens a subscription; its events arrive in {@link Subscription#next(Duration)}. */
    public Subscription subscribe(String document, Map<String, Object> variables) {
        URI ws = URI.create(base.toString().replaceFirst("^http", "ws") + "/graphql");
        Subscription subscription = new Subscription();
        WebSocket socket = http.newWebSocketBuilder().subprotocols("graphql-transport-ws")
                .connectTimeout(Duration.ofSeconds(10)).buildAsync(ws, subscription).join();
        subscription.socket = socket;
        subscription.send(Map.of("type", "connection_init", "payload", Map.of("Authorization", "Bearer " + token)));
        subscription.awaitAck();
        subscription.send(Map.of("id", subscription.id, "type", "subscribe", "payload",
                Map.of("query", document, "variables", variables)));
        return subscription;
    }

    /** One graphql-transport-ws subscription on its own connection. */
    public static final class Subscription implements WebSocket.Listener, AutoCloseable {

        private static final JsonNode COMPLETE = JSON.createObjectNode();

        private final String id = UUID.randomUUID().toString();
        private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        private final CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;
        private boolean completed;

        private void send(Map<String, Object> message) {
            try {
                socket.sendText(JSON.writeValueAsString(message), true).join();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void awaitAck() {
            try {
                acknowledged.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the server did not acknowledge the subscription connection", e);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    partial.setLength(0);
                    switch (message.path("type").asText()) {
                        case "connection_ack" -> acknowledged.complete(null);
                        case "ping" -> send(Map.of("type", "pong"));
                        case "next" -> messages.add(message.path("payload"));
                        case "error" -> messages.add(JSON.createObjectNode().set("errors", message.path("payload")));
                        case "complete" -> messages.add(COMPLETE);
                        default -> { }
                    }
                } catch (IOException e) {
                    messages.add(JSON.createObjectNode().put("errors", e.toString()));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            acknowledged.completeExceptionally(new IllegalStateException("closed: " + statusCode + " " + reason));
            messages.add(COMPLETE);
            return null;
        }

        /** The next event's {@code data}, or null when the subscription completed or none came in time. */
        public JsonNode next(Duration timeout) throws InterruptedException {
            if (completed) {
                return null;
            }
            JsonNode message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                return null;
            }
            if (message == COMPLETE) {
                completed = true;
                return null;
            }
            if (message.has("errors")) {
                throw new IllegalStateException("subscription failed: " + message.get("errors"));
            }
            return message.path("data");
        }

        @Override
        public void close() {
            try {
                if (!completed) {
                    send(Map.of("id", id, "type", "complete"));
                }
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                socket.abort();
            }
        }
    }
}
