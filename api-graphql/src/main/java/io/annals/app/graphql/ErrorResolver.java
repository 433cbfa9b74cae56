package io.annals.app.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.stereotype.Component;

/** Errors of queries and mutations; see {@link GraphQlErrors}. */
@Component
class ErrorResolver extends DataFetcherExceptionResolverAdapter {

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
        return GraphQlErrors.of(ex, GraphqlErrorBuilder.newError(env),
                "GraphQL error at " + env.getExecutionStepInfo().getPath(), "");
    }
}
