package io.annals.app.limits;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.language.Argument;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.validation.ValidationError;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures a parsed document against {@link QueryLimits} before it is validated and again before each execution, for
 * queries, mutations and subscriptions alike. The walk itself is bounded: it stops at the first limit passed, so a
 * document built to explode through nested fragments costs no more than the limits allow.
 */
public final class QueryLimitsInstrumentation extends SimplePerformantInstrumentation {

    private static final Logger log = LoggerFactory.getLogger(QueryLimitsInstrumentation.class);
    /** The {@code extensions.classification} of a refusal; {@code extensions.limit} names the limit. */
    public static final String CLASSIFICATION = "QUERY_LIMIT";
    private static final Set<String> PAGE_ARGUMENTS = Set.of("first", "limit");

    private final QueryLimits limits;

    public QueryLimitsInstrumentation(QueryLimits limits) {
        this.limits = limits;
    }

    @Override
    public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters
                                                                                 parameters,
                                                                         InstrumentationState state) {
        new Walk(parameters.getDocument(), parameters.getVariables()).measure();
        return super.beginValidation(parameters, state);
    }

    /**
     * Again before each execution: a document kept by {@link ParsedDocuments} skips validation, and may come back
     * with variables that ask for more ({@code first: $n}). The walk is bounded by the limits, so this costs little.
     */
    @Override
    public ExecutionContext instrumentExecutionContext(ExecutionContext context,
                                                       InstrumentationExecutionParameters parameters,
                                                       InstrumentationState state) {
        new Walk(context.getDocument(), context.getExecutionInput().getVariables()).measure();
        return context;
    }

    private final class Walk {

        private final Document document;
        private final Map<String, FragmentDefinition> fragments = new HashMap<>();
        private final Map<String, Object> variables;
        private final Deque<String> fragmentPath = new ArrayDeque<>();
        private int fields;
        private int aliases;
        private long pageItems;

        Walk(Document document, Map<String, Object> variables) {
            this.variables = variables == null ? Map.of() : variables;
            for (FragmentDefinition fragment : document.getDefinitionsOfType(FragmentDefinition.class)) {
                fragments.put(fragment.getName(), fragment);
            }
            this.document = document;
        }

        void measure() {
            for (OperationDefinition operation : document.getDefinitionsOfType(OperationDefinition.class)) {
                walk(operation.getSelectionSet(), 0);
            }
        }

        private void walk(SelectionSet selections, int depth) {
            if (selections == null) {
                return;
            }
            for (Selection<?> selection : selections.getSelections()) {
                if (selection instanceof Field field) {
                    int fieldDepth = depth + 1;
                    check("maxDepth", "max-depth", "nests fields " + fieldDepth + " deep", fieldDepth,
                            limits.maxDepth());
                    check("maxFields", "max-fields", "selects more than " + limits.maxFields() + " fields",
                            ++fields, limits.maxFields());
                    if (field.getAlias() != null) {
                        check("maxAliases", "max-aliases", "uses more than " + limits.maxAliases() + " aliases",
                                ++aliases, limits.maxAliases());
                    }
                    for (Argument argument : field.getArguments()) {
                        if (PAGE_ARGUMENTS.contains(argument.getName())) {
                            pageItems += Math.max(0, number(argument.getValue()));
                            check("maxPageItems", "max-page-items", "asks for " + pageItems
                                    + " list items in all (the sum of its first and limit arguments)", pageItems,
                                    limits.maxPageItems());
                        }
                    }
                    walk(field.getSelectionSet(), fieldDepth);
                } else if (selection instanceof InlineFragment inline) {
                    walk(inline.getSelectionSet(), depth);
                } else if (selection instanceof FragmentSpread spread) {
                    FragmentDefinition fragment = fragments.get(spread.getName());
                    // a cycle or an unknown fragment is left for validation to report
                    if (fragment != null && !fragmentPath.contains(spread.getName())) {
                        fragmentPath.push(spread.getName());
                        walk(fragment.getSelectionSet(), depth);
                        fragmentPath.pop();
                    }
                }
            }
        }

        private long number(Value<?> value) {
            if (value instanceof IntValue i) {
                return i.getValue().min(java.math.BigInteger.valueOf(Integer.MAX_VALUE)).longValue();
            }
            if (value instanceof VariableReference ref && variables.get(ref.getName()) instanceof Number n) {
                return n.longValue();
            }
            return 0;
        }

        private void check(String limit, String setting, String what, long actual, long max) {
            if (actual > max) {
                String message = "the request " + what + "; the limit is " + max
                        + " (annals.graphql.limits." + setting + ")";
                log.info("Refused a GraphQL request: {}", message);
                GraphQLError error = GraphqlErrorBuilder.newError()
                        .message(message)
                        .errorType(Classification.QUERY_LIMIT)
                        .extensions(Map.of("limit", limit, "max", max))
                        .build();
                throw new AbortExecutionException(List.of(error));
            }
        }
    }

    enum Classification implements ErrorClassification {
        QUERY_LIMIT
    }
}
