package io.annals.app.limits;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldCompleteParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldParameters;
import graphql.schema.DataFetcher;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FieldHookSkippingInstrumentationTest {

    /** Like Annals' authorization: wraps data fetchers, has no per-field hook. */
    static final class Fetchers extends SimplePerformantInstrumentation {
        final AtomicInteger wrapped = new AtomicInteger();

        @Override
        public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters
                parameters, InstrumentationState state) {
            wrapped.incrementAndGet();
            return fetcher;
        }
    }

    /** Has a per-field hook: it must still be called for every field. */
    static final class Completions extends SimplePerformantInstrumentation {
        final AtomicInteger completed = new AtomicInteger();

        @Override
        public InstrumentationContext<Object> beginFieldCompletion(InstrumentationFieldCompleteParameters parameters,
                                                                   InstrumentationState state) {
            completed.incrementAndGet();
            return super.beginFieldCompletion(parameters, state);
        }
    }

    private static ExecutionResult run(Instrumentation instrumentation) {
        var schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(
                "type Query { items: [Item] } type Item { name: String }"), RuntimeWiring.newRuntimeWiring()
                .type("Query", t -> t.dataFetcher("items", env -> List.of(Map.of("name", "a"), Map.of("name", "b"),
                        Map.of("name", "c")))).build());
        return GraphQL.newGraphQL(schema).instrumentation(instrumentation).build()
                .execute("{ items { name } }");
    }

    @Test
    void hooksNoInstrumentationHasAreSkipped_andTheOthersAreCalledAsByTheChain() {
        Fetchers fetchers = new Fetchers();
        Completions completions = new Completions();
        List<Instrumentation> both = List.of(fetchers, completions);
        assertThat(FieldHookSkippingInstrumentation.anyHas(both, "beginFieldExecution",
                InstrumentationFieldParameters.class)).isFalse();
        assertThat(FieldHookSkippingInstrumentation.anyHas(both, "beginFieldCompletion",
                InstrumentationFieldCompleteParameters.class)).isTrue();
        assertThat(FieldHookSkippingInstrumentation.anyHas(List.of(new Instrumentation() { }), "beginFieldFetching",
                InstrumentationFieldFetchParameters.class)).as("the interface's defaults do nothing").isFalse();

        ExecutionResult lean = run(new FieldHookSkippingInstrumentation(both));
        int leanCompleted = completions.completed.getAndSet(0);
        int leanWrapped = fetchers.wrapped.getAndSet(0);
        ExecutionResult chained = run(new ChainedInstrumentation(both));

        assertThat(lean.getErrors()).isEmpty();
        assertThat(lean.<Object>getData()).isEqualTo(chained.getData())
                .isEqualTo(Map.of("items", List.of(Map.of("name", "a"), Map.of("name", "b"), Map.of("name", "c"))));
        assertThat(leanCompleted).as("items, each item, and each name").isEqualTo(completions.completed.get())
                .isGreaterThanOrEqualTo(4);
        assertThat(leanWrapped).as("every field's fetcher").isEqualTo(fetchers.wrapped.get()).isEqualTo(4);
    }
}
