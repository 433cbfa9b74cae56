package io.annals.app.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;
import org.springframework.stereotype.Component;

/** A subscription that fails says why; see {@link GraphQlErrors}. */
@Component
class SubscriptionErrorResolver extends SubscriptionExceptionResolverAdapter {

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex) {
        return GraphQlErrors.of(ex, GraphqlErrorBuilder.newError(), "Subscription error", "subscription failed: ");
    }
}
