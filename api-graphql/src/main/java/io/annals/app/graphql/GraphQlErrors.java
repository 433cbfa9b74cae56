package io.annals.app.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import io.annals.app.security.Caller;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.ErrorType;

/**
 * How an exception becomes a top-level GraphQL error, for queries and subscriptions alike: a missing token, bad
 * arguments, and, for anything unexpected, an error id to find in the server log. Never a stack trace.
 */
final class GraphQlErrors {

    private static final Logger log = LoggerFactory.getLogger(GraphQlErrors.class);

    private GraphQlErrors() {
    }

    /**
     * @param where  what failed, for the log line of an unexpected error
     * @param prefix put before the message of an unexpected error
     */
    static GraphQLError of(Throwable ex, GraphqlErrorBuilder<?> error, String where, String prefix) {
        if (ex instanceof Caller.UnauthenticatedException) {
            return error.errorType(ErrorType.UNAUTHORIZED).message(ex.getMessage()).build();
        }
        if (ex instanceof IllegalArgumentException) {
            return error.errorType(ErrorType.BAD_REQUEST).message(ex.getMessage()).build();
        }
        String id = UUID.randomUUID().toString();
        log.error("{} {}", where, id, ex);
        return error.errorType(ErrorType.INTERNAL_ERROR)
                .message(prefix + "internal error " + id + "; the server log has the details").build();
    }
}
