package io.annals.app.graphql;

import io.annals.workers.ingest.InvalidBatchException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a mutation and turns expected failures into typed errors in its payload: bad input, a missing entity, a
 * conflict with the current state. Because commands are validated before any event is applied, a payload with
 * errors means nothing was recorded.
 */
final class Mutations {

    private static final Logger log = LoggerFactory.getLogger(Mutations.class);

    private Mutations() {
    }

    /**
     * @param notFound  the message when the target entity does not exist (Axon's own message names no entity)
     * @param duplicate the message when the entity to create exists already
     */
    static Map<String, Object> run(String notFound, String duplicate, Supplier<Map<String, Object>> action) {
        try {
            Map<String, Object> payload = new LinkedHashMap<>(action.get());
            payload.put("errors", List.of());
            return payload;
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CommandExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof InvalidBatchException invalid) {
                return error("INVALID_INPUT", invalid.getMessage(), invalid.column() == null ? "csv"
                        : "csv." + invalid.column());
            }
            if (cause instanceof AggregateNotFoundException) {
                return error("NOT_FOUND", notFound, null);
            }
            if (cause instanceof AggregateStreamCreationException || cause instanceof ConcurrencyException) {
                return error("CONFLICT", duplicate != null ? duplicate : "changed concurrently; try again", null);
            }
            if (cause instanceof IllegalArgumentException) {
                return error("INVALID_INPUT", cause.getMessage(), null);
            }
            if (cause instanceof IllegalStateException) {
                return error("CONFLICT", cause.getMessage(), null);
            }
            if (cause instanceof SecurityException) {
                return error("REJECTED", cause.getMessage(), null);
            }
            log.error("mutation failed unexpectedly", e);
            throw e;
        }
    }

    static Map<String, Object> error(String code, String message, String field) {
        log.info("Refused a mutation ({}): {}", code, message);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("field", field);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("errors", List.of(error));
        return payload;
    }

    static Map<String, Object> result(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
