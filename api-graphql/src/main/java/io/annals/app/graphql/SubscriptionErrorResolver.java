package io.annals.app.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import io.annals.app.security.Caller;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;
import org.springframework.stereotype.Component;

/** A subscription that fails says why, or, for anything unexpected, gives an error id to find in the log. */
@Component
class SubscriptionErrorResolver extends SubscriptionExceptionResolverAdapter {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionErrorResolver.class);

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex) {
        if (ex instanceof Caller.UnauthenticatedException || ex instanceof IllegalArgumentException) {
            return GraphqlErrorBuilder.newError().errorType(ex instanceof Caller.UnauthenticatedException
                    ? ErrorType.UNAUTHORIZED : ErrorType.BAD_REQUEST).message(ex.getMessage()).build();
        }
        String id = UUID.randomUUID().toString();
        log.error("Subscription error {}", id, ex);
        return GraphqlErrorBuilder.newError().errorType(ErrorType.INTERNAL_ERROR)
                .message("subscription failed: internal error " + id + "; the server log has the details").build();
    }
}
