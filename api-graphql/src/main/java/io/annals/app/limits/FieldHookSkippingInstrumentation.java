package io.annals.app.limits;

import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.ExecuteObjectInstrumentationContext;
import graphql.execution.instrumentation.FieldFetchingInstrumentationContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentation;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionStrategyParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldCompleteParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldParameters;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;

/**
 * graphql-java's chain of instrumentations, less the cost of the hooks it calls for every field of an answer when no
 * instrumentation of the chain has one. The chain asks each instrumentation for a context at the start of every
 * field's execution, fetch and completion and of every object, and gathers the answers in a new list each time: for
 * a {@code batchImpact} of a thousand runs, thousands of lists of no-ops. Which hooks an instrumentation has is read
 * once, from the methods its class overrides; a hook that none has answers the no-op at once, and a hook that any has
 * goes through the chain as before. Every other hook (the request's, the data fetchers') is the chain's.
 */
public final class FieldHookSkippingInstrumentation extends ChainedInstrumentation {

    /** Classes whose hooks do nothing: a hook declared by one of them is not one an instrumentation has. */
    @SuppressWarnings("deprecation")
    private static final Set<Class<?>> NO_OPS = Set.of(Instrumentation.class, SimplePerformantInstrumentation.class,
            SimpleInstrumentation.class);

    private final boolean fieldExecution;
    private final boolean fieldFetch;
    private final boolean fieldCompletion;
    private final boolean fieldListCompletion;
    private final boolean executeObject;

    public FieldHookSkippingInstrumentation(List<Instrumentation> instrumentations) {
        super(instrumentations);
        fieldExecution = anyHas(instrumentations, "beginFieldExecution", InstrumentationFieldParameters.class);
        // graphql-java's default of the newer hook calls the older one: either counts
        fieldFetch = anyHas(instrumentations, "beginFieldFetching", InstrumentationFieldFetchParameters.class)
                || anyHas(instrumentations, "beginFieldFetch", InstrumentationFieldFetchParameters.class);
        fieldCompletion = anyHas(instrumentations, "beginFieldCompletion",
                InstrumentationFieldCompleteParameters.class);
        fieldListCompletion = anyHas(instrumentations, "beginFieldListCompletion",
                InstrumentationFieldCompleteParameters.class);
        executeObject = anyHas(instrumentations, "beginExecuteObject",
                InstrumentationExecutionStrategyParameters.class);
    }

    /** Whether any of the instrumentations has hook {@code name} of its own (not a no-op default). */
    static boolean anyHas(List<Instrumentation> instrumentations, String name, Class<?> parameters) {
        for (Instrumentation instrumentation : instrumentations) {
            try {
                Method hook = instrumentation.getClass().getMethod(name, parameters, InstrumentationState.class);
                if (!NO_OPS.contains(hook.getDeclaringClass())) {
                    return true;
                }
            } catch (NoSuchMethodException e) {
                return true; // a hook this code does not know the shape of: leave it to the chain
            }
        }
        return false;
    }

    @Override
    public InstrumentationContext<Object> beginFieldExecution(InstrumentationFieldParameters parameters,
                                                              InstrumentationState state) {
        return fieldExecution ? super.beginFieldExecution(parameters, state)
                : SimplePerformantInstrumentation.INSTANCE.beginFieldExecution(parameters, state);
    }

    @Override
    @SuppressWarnings("deprecation")
    public InstrumentationContext<Object> beginFieldFetch(InstrumentationFieldFetchParameters parameters,
                                                          InstrumentationState state) {
        return fieldFetch ? super.beginFieldFetch(parameters, state)
                : SimplePerformantInstrumentation.INSTANCE.beginFieldFetch(parameters, state);
    }

    @Override
    public FieldFetchingInstrumentationContext beginFieldFetching(InstrumentationFieldFetchParameters parameters,
                                                                  InstrumentationState state) {
        return fieldFetch ? super.beginFieldFetching(parameters, state)
                : SimplePerformantInstrumentation.INSTANCE.beginFieldFetching(parameters, state);
    }

    @Override
    public InstrumentationContext<Object> beginFieldCompletion(InstrumentationFieldCompleteParameters parameters,
                                                               InstrumentationState state) {
        return fieldCompletion ? super.beginFieldCompletion(parameters, state)
                : SimplePerformantInstrumentation.INSTANCE.beginFieldCompletion(parameters, state);
    }

    @Override
    public InstrumentationContext<Object> beginFieldListCompletion(InstrumentationFieldCompleteParameters parameters,
                                                                   InstrumentationState state) {
        return fieldListCompletion ? super.beginFieldListCompletion(parameters, state)
                : SimplePerformantInstrumentation.INSTANCE.beginFieldListCompletion(parameters, state);
    }

    @Override
    public ExecuteObjectInstrumentationContext beginExecuteObject(InstrumentationExecutionStrategyParameters parameters,
                                                                  InstrumentationState state) {
        return executeObject ? super.beginExecuteObject(parameters, state)
                : SimplePerformantInstrumentation.INSTANCE.beginExecuteObject(parameters, state);
    }
}
