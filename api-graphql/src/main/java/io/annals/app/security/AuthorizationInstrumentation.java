package io.annals.app.security;

import graphql.execution.ExecutionStepInfo;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.introspection.IntrospectionDataFetcher;
import graphql.schema.DataFetcher;
import io.annals.command.api.access.AccessState;
import io.annals.command.api.access.Permission;

/**
 * Checks every GraphQL query, mutation and subscription field against {@link RequestRules} before its resolver
 * runs: an unauthenticated caller gets {@code UNAUTHORIZED}, one without the permission {@code FORBIDDEN} naming it,
 * and in both cases the resolver never runs, so no command is sent and no event recorded. Only root fields are
 * checked (what a request may reach below them is reading, which the root field's rule covers); introspection is
 * open to any authenticated caller.
 */
public final class AuthorizationInstrumentation extends SimplePerformantInstrumentation {

    private final AccessControl access;
    private final RequestRules.Records records;

    public AuthorizationInstrumentation(AccessControl access, RequestRules.Records records) {
        this.access = access;
        this.records = records;
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters,
                                                InstrumentationState state) {
        if (parameters.isTrivialDataFetcher() && !(fetcher instanceof IntrospectionDataFetcher)) {
            // a property of an object some resolver returned, never a root field (each has a resolver of its own):
            // nothing to check, and asking for its step would build the field's whole environment, which
            // graphql-java otherwise skips for properties (a thousand runs' fields are thousands of environments)
            return fetcher;
        }
        ExecutionStepInfo step = parameters.getExecutionStepInfo();
        if (step.getPath().getLevel() != 1) {
            return fetcher;
        }
        String field = step.getFieldDefinition().getName();
        String key = step.getObjectType().getName() + "." + field;
        return env -> {
            Caller caller = AuthInterceptor.caller(env.getGraphQlContext());
            if (field.startsWith("__")) {
                return fetcher.get(env);
            }
            RequestRules.Rule rule = RequestRules.graphQl(key).orElseThrow(() -> new ForbiddenException(
                    new AccessState.Decision(false, Permission.ACCESS_MANAGE, "*", key
                            + " has no access rule, so no one may call it")));
            if (rule.permission() != null) {
                access.require(caller, rule.permission(), rule.resource().of(env.getArguments(), caller, records),
                        key);
            }
            return fetcher.get(env);
        };
    }
}
