package io.annals.app.graphql;

import io.annals.command.api.common.DomainException;
import io.annals.workers.ingest.InvalidBatchException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a mutation and turns expected failures into a typed error in its payload: bad input, a missing entity, a
 * conflict with the current state, a backend that is unavailable. This is the one place where a failure becomes an
 * API error code; anything not listed here is unexpected and becomes an internal error with an id, never one of
 * these codes. Because commands are validated before any event is applied, a payload with errors means nothing
 * was recorded.
 */
final class Mutations {

    private static final Logger log = LoggerFactory.getLogger(Mutations.class);

    /** An expected failure, as the API shows it. */
    record UserError(String code, String message, String field) {
    }

    private Mutations() {
    }

    /**
     * @param notFound  the message when the target entity does not exist (Axon's own message names no entity)
     * @param duplicate the message when the entity to create exists already
     * @param refused   the payload that carries one error
     */
    static <P> P run(String notFound, String duplicate, Supplier<P> action, Function<List<UserError>, P> refused) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            UserError error = expected(e, notFound, duplicate);
            if (error == null) {
                throw e;
            }
            log.info("Refused a mutation ({}): {}", error.code(), error.message());
            return refused.apply(List.of(error));
        }
    }

    private static UserError expected(RuntimeException e, String notFound, String duplicate) {
        Throwable cause = e instanceof CommandExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof InvalidBatchException invalid) {
            return new UserError("INVALID_INPUT", invalid.getMessage(), invalid.column() == null ? "csv"
                    : "csv." + invalid.column());
        }
        if (cause instanceof DomainException domain) {
            return new UserError(domain.code().name(), domain.getMessage(), null);
        }
        if (cause instanceof AggregateNotFoundException) {
            return new UserError("NOT_FOUND", notFound, null);
        }
        if (cause instanceof AggregateStreamCreationException || cause instanceof ConcurrencyException) {
            return new UserError("CONFLICT", duplicate != null ? duplicate : "changed concurrently; try again", null);
        }
        if (cause instanceof IllegalArgumentException) {
            return new UserError("INVALID_INPUT", cause.getMessage(), null);
        }
        if (cause instanceof SecurityException) {
            return new UserError("REJECTED", cause.getMessage(), null);
        }
        return null;
    }
}
