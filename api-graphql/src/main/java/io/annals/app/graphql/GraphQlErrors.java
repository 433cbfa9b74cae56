package io.annals.app.graphql;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import io.annals.app.security.Caller;
import io.annals.app.security.ForbiddenException;
import io.annals.command.api.common.DomainException;
import io.annals.query.elastic.ReadModelUnavailableException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.axonframework.messaging.HandlerExecutionException;
import org.axonframework.queryhandling.NoHandlerForQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.ErrorType;

/**
 * How an exception becomes a top-level GraphQL error, for queries and subscriptions alike: a missing token, a
 * permission the caller lacks ({@code FORBIDDEN}, with {@code extensions.permission} and {@code resource}; logged
 * where it was decided), bad arguments, a read model that cannot be reached ({@code UNAVAILABLE}, naming it), and, for anything unexpected, an
 * error id to find in the server log. Expected failures log one line without a stack trace; only the unexpected
 * log one.
 */
final class GraphQlErrors {

    private static final Logger log = LoggerFactory.getLogger(GraphQlErrors.class);

    /** Error classifications beyond Spring for GraphQL's own. */
    enum Classification implements ErrorClassification {
        /** A backend the answer needs is down or too slow; try again later. */
        UNAVAILABLE
    }

    private GraphQlErrors() {
    }

    /**
     * @param where  what failed, for the log line of an unexpected error
     * @param prefix put before the message of an unexpected error
     */
    static GraphQLError of(Throwable thrown, GraphqlErrorBuilder<?> error, String where, String prefix) {
        Throwable ex = unwrap(thrown);
        if (ex instanceof Caller.UnauthenticatedException) {
            log.info("{}: refused: {}", where, ex.getMessage());
            return error.errorType(ErrorType.UNAUTHORIZED).message(ex.getMessage()).build();
        }
        if (ex instanceof ForbiddenException forbidden) {
            return error.errorType(ErrorType.FORBIDDEN).message(forbidden.getMessage())
                    .extensions(Map.of("permission", forbidden.permission(), "resource", forbidden.resource())).build();
        }
        if (ex instanceof IllegalArgumentException) {
            log.info("{}: refused: {}", where, ex.getMessage());
            return error.errorType(ErrorType.BAD_REQUEST).message(ex.getMessage()).build();
        }
        if (ex instanceof ReadModelUnavailableException unavailable) {
            log.warn("{}: {}", where, unavailable.getMessage());
            return error.errorType(Classification.UNAVAILABLE).message(unavailable.getMessage() + "; try again later")
                    .extensions(Map.of("readModel", unavailable.readModel())).build();
        }
        if (ex instanceof NoHandlerForQueryException) {
            // a process that does not run the query role (annals.roles) has no read models to answer from
            log.info("{}: this process does not run the query role", where);
            return error.errorType(Classification.UNAVAILABLE).message("this process does not run the query role "
                    + "(annals.roles): send queries to a process that does").build();
        }
        if (ex instanceof DomainException domain) {
            log.info("{}: {}: {}", where, domain.code(), domain.getMessage());
            return error.errorType(switch (domain.code()) {
                case INVALID_INPUT, CONFLICT -> ErrorType.BAD_REQUEST;
                case NOT_FOUND -> ErrorType.NOT_FOUND;
                case UNAVAILABLE -> Classification.UNAVAILABLE;
                case FORBIDDEN -> ErrorType.FORBIDDEN;
            }).message(domain.getMessage()).build();
        }
        String id = UUID.randomUUID().toString();
        log.error("{} {}", where, id, ex);
        return error.errorType(ErrorType.INTERNAL_ERROR)
                .message(prefix + "internal error " + id + "; the server log has the details").build();
    }

    /** The exception a handler threw, out of the wrappers of futures and of Axon's query bus. */
    static Throwable unwrap(Throwable thrown) {
        Throwable ex = thrown;
        while ((ex instanceof CompletionException || ex instanceof ExecutionException
                || ex instanceof HandlerExecutionException) && ex.getCause() != null && ex.getCause() != ex) {
            ex = ex.getCause();
        }
        return ex;
    }
}
