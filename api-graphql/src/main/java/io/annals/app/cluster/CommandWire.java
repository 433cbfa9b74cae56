package io.annals.app.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.annals.command.api.access.CommandPermissions;
import io.annals.command.api.common.DomainException;
import io.annals.infra.clients.SecretBox;
import io.annals.infra.clients.WireJson;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command as one Annals process sends it to another, and the answer, as JSON:
 * <pre>
 * POST /internal/commands   Authorization: Bearer &lt;internal token&gt;
 * {"id": "&lt;message id&gt;", "command": "RegisterDataset", "payload": {...}, "metadata": {"actor": "user:ana", ...}}
 *
 * 200 {"result": 3, "type": "int"}                       (type: none, boolean, int, long or string)
 * 409 {"error": {"kind": "domain", "code": "CONFLICT", "message": "..."}}
 * </pre>
 * Only the commands of the published language ({@link CommandPermissions}) are accepted, by simple name; the
 * refusal a remote caller sees is the exception an in-process caller would have caught, rebuilt from its kind.
 */
public final class CommandWire {

    /** The path of the command role's internal endpoint. */
    public static final String PATH = "/internal/commands";
    /** The largest command accepted; commands carry names, ids and small maps, never data. */
    public static final int MAX_BYTES = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(CommandWire.class);
    private static final ObjectMapper JSON = WireJson.newMapper();

    private CommandWire() {
    }

    /**
     * The token every process of one platform derives from the platform's key (see {@link SecretBox#derive}); a
     * holder is an Annals process, trusted to name the actor it acts for, as members of Axon's distributed command
     * bus are. It opens {@link #PATH} only: it is not an API token.
     */
    public static String internalToken(SecretBox secrets) {
        return "annals-internal." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(secrets.derive("annals/internal-commands/v1"));
    }

    /**
     * Whether a request to an internal endpoint carries the internal token ({@code Authorization: Bearer <token>});
     * when it does not, the refusal (401) is sent and logged, naming {@code what} was refused.
     */
    public static boolean admitted(HttpServletRequest request, HttpServletResponse response, String expected,
                                   String what) throws IOException {
        String header = request.getHeader("Authorization");
        if (header != null && header.startsWith("Bearer ")
                && sameToken(expected, header.substring("Bearer ".length()).trim())) {
            return true;
        }
        log.warn("Refused {} from {}: no valid internal token", what, request.getRemoteAddr());
        send(response, refusal(401, "unauthorized", null, "this path takes the platform's internal token only"));
        return false;
    }

    /** Sends a refusal as the answer of an internal endpoint. */
    public static void send(HttpServletResponse response, Refusal refusal) throws IOException {
        response.setStatus(refusal.status());
        response.setContentType("application/json");
        response.getOutputStream().write(refusal.body());
    }

    static boolean sameToken(String expected, String presented) {
        return presented != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    // ---- request

    static byte[] request(CommandMessage<?> command) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", command.getIdentifier());
        body.put("command", command.getPayloadType().getSimpleName());
        body.put("payload", JSON.valueToTree(command.getPayload()));
        body.put("metadata", new LinkedHashMap<>(command.getMetaData()));
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(command.getPayloadType().getSimpleName()
                    + " cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** The command in a request body; {@link IllegalArgumentException} naming what is wrong with it. */
    static CommandMessage<Object> command(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object with id, command, payload, metadata");
        }
        String name = text(root, "command");
        String id = text(root, "id");
        Class<?> type = CommandPermissions.byName(name).orElseThrow(() -> new IllegalArgumentException(
                "'" + name + "' is not a command of Annals"));
        Object payload;
        try {
            payload = JSON.treeToValue(root.path("payload"), type);
        } catch (IOException e) {
            throw new IllegalArgumentException("the payload is not a valid " + name + ": " + e.getMessage());
        }
        if (payload == null) {
            throw new IllegalArgumentException("the payload of " + name + " is missing");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        JsonNode given = root.path("metadata");
        if (!given.isMissingNode() && !given.isObject()) {
            throw new IllegalArgumentException("metadata must be an object");
        }
        given.fields().forEachRemaining(f -> {
            if (!f.getValue().isValueNode()) {
                throw new IllegalArgumentException("metadata value '" + f.getKey() + "' must be a string, number or "
                        + "boolean");
            }
            metadata.put(f.getKey(), JSON.convertValue(f.getValue(), Object.class));
        });
        return new GenericCommandMessage<>(new GenericMessage<>(id, payload, MetaData.from(metadata)), type.getName());
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("'" + field + "' must be a non-empty string");
        }
        return value.asText();
    }

    // ---- answer

    static byte[] result(Object result) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        var body = f.objectNode();
        if (result == null) {
            body.putNull("result").put("type", "none");
        } else if (result instanceof Boolean b) {
            body.put("result", b).put("type", "boolean");
        } else if (result instanceof Integer i) {
            body.put("result", i).put("type", "int");
        } else if (result instanceof Long l) {
            body.put("result", l).put("type", "long");
        } else if (result instanceof String s) {
            body.put("result", s).put("type", "string");
        } else {
            throw new IllegalStateException("a command's result of type " + result.getClass().getName()
                    + " cannot be sent to another process");
        }
        return write(body);
    }

    static Object result(JsonNode answer) {
        JsonNode value = answer.path("result");
        return switch (answer.path("type").asText()) {
            case "none" -> null;
            case "boolean" -> value.booleanValue();
            case "int" -> value.intValue();
            case "long" -> value.longValue();
            case "string" -> value.textValue();
            default -> throw new IllegalStateException("the command role answered an unknown result type: " + answer);
        };
    }

    /** A refusal as sent: the HTTP status and body. */
    public record Refusal(int status, byte[] body) {
    }

    /** The refusal for what a command threw; null when the failure is not an expected refusal. */
    static Refusal refusal(Throwable failure) {
        Throwable cause = failure instanceof CommandExecutionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof DomainException domain) {
            int status = switch (domain.code()) {
                case INVALID_INPUT -> 400;
                case FORBIDDEN -> 403;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
                case UNAVAILABLE -> 503;
            };
            return refusal(status, "domain", domain.code().name(), domain.getMessage());
        }
        if (cause instanceof AggregateNotFoundException) {
            return refusal(404, "not-found", null, cause.getMessage());
        }
        if (cause instanceof AggregateStreamCreationException) {
            return refusal(409, "exists", null, cause.getMessage());
        }
        if (cause instanceof ConcurrencyException) {
            return refusal(409, "concurrency", null, cause.getMessage());
        }
        if (cause instanceof IllegalArgumentException) {
            return refusal(400, "invalid", null, cause.getMessage());
        }
        if (cause instanceof SecurityException) {
            return refusal(403, "security", null, cause.getMessage());
        }
        return null;
    }

    public static Refusal refusal(int status, String kind, String code, String message) {
        var error = JsonNodeFactory.instance.objectNode().put("kind", kind);
        if (code != null) {
            error.put("code", code);
        }
        error.put("message", message == null ? "" : message);
        return new Refusal(status, write(JsonNodeFactory.instance.objectNode().set("error", error)));
    }

    /** The exception an in-process caller would have seen for a refusal the command role sent. */
    static RuntimeException exception(int status, JsonNode body) {
        JsonNode error = body.path("error");
        String message = error.path("message").asText("HTTP " + status + " from the command role");
        return switch (error.path("kind").asText()) {
            case "domain" -> new DomainException(codeOf(error.path("code").asText()), message);
            case "not-found" -> new AggregateNotFoundException("", message);
            case "exists" -> new AggregateStreamCreationException(message);
            case "concurrency" -> new ConcurrencyException(message);
            case "invalid" -> new IllegalArgumentException(message);
            case "security" -> new SecurityException(message);
            case "unauthorized" -> new IllegalStateException("the command role refused this process's internal token "
                    + "(do all processes share annals.secrets?): " + message);
            default -> new CommandExecutionException("the command role failed: " + message, null);
        };
    }

    private static DomainException.Code codeOf(String code) {
        try {
            return DomainException.Code.valueOf(code);
        } catch (IllegalArgumentException e) {
            return DomainException.Code.UNAVAILABLE;
        }
    }

    static JsonNode read(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
