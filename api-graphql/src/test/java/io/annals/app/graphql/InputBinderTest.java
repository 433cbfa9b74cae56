package io.annals.app.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingEnvironmentImpl;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.graphql.data.GraphQlArgumentBinder;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.stereotype.Controller;
import org.springframework.validation.BindException;

/**
 * {@link InputBinder} binds every {@code @Argument} of every controller of the API exactly as Spring for GraphQL's
 * binder does, and leaves to Spring's binder what it cannot bind exactly.
 */
class InputBinderTest {

    private static final GraphQlArgumentBinder SPRING = new GraphQlArgumentBinder(GraphQlArgumentBinder.Options
            .create().conversionService(ApplicationConversionService.getSharedInstance()));

    /** Every {@code @Argument} parameter of the controllers in this package. */
    private static List<MethodParameter> arguments() throws ClassNotFoundException {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Controller.class));
        List<MethodParameter> arguments = new ArrayList<>();
        for (var candidate : scanner.findCandidateComponents(InputBinder.class.getPackageName())) {
            for (Method method : Class.forName(candidate.getBeanClassName()).getDeclaredMethods()) {
                for (int i = 0; i < method.getParameterCount(); i++) {
                    MethodParameter parameter = new MethodParameter(method, i);
                    parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
                    if (parameter.hasParameterAnnotation(Argument.class)) {
                        arguments.add(parameter);
                    }
                }
            }
        }
        return arguments;
    }

    @Test
    void bindsEveryArgumentOfTheApiAsSpringsBinderDoes() throws Exception {
        List<MethodParameter> arguments = arguments();
        assertThat(arguments).as("@Argument parameters found").hasSizeGreaterThan(40);
        int inputs = 0;
        for (MethodParameter parameter : arguments) {
            InputBinder.Plan plan = InputBinder.plan(parameter).orElseThrow(() -> new AssertionError(
                    "no plan for " + parameter));
            ResolvableType type = ResolvableType.forMethodParameter(parameter);
            Object raw = sample(type, 0);
            Object bound;
            try {
                bound = plan.bind(raw);
            } catch (InputBinder.NotExact e) {
                throw new AssertionError("left to Spring's binder: " + raw + " for " + parameter, e);
            }
            assertThat(bound).as(parameter.toString()).isEqualTo(SPRING.bind(raw, false, type));
            if (!parameter.getParameterType().isPrimitive()) {
                assertThat(plan.bind(null)).as(parameter + " without a value").isNull();
            }
            if (type.resolve().isRecord()) {
                inputs++;
            }
        }
        assertThat(inputs).as("input records among them").isGreaterThan(25);
    }

    @Test
    void anInputObjectBecomesItsRecordWithNestedListsAndEnums() throws Exception {
        MethodParameter parameter = parameter("configureDriftMonitor");
        Map<String, Object> rule = new LinkedHashMap<>(Map.of("feature", "age", "test", "KOLMOGOROV_SMIRNOV", "threshold", 0.2));
        Map<String, Object> input = new LinkedHashMap<>(Map.of("endpoint", "churn", "psiThreshold", 0.25,
                "windowSize", 500, "features", List.of(rule)));
        Object bound = InputBinder.plan(parameter).orElseThrow().bind(input);
        assertThat(bound).isEqualTo(SPRING.bind(input, false, ResolvableType.forMethodParameter(parameter)));
        RegistryController.ConfigureDriftMonitorInput monitor = (RegistryController.ConfigureDriftMonitorInput) bound;
        assertThat(monitor.windowSeconds()).isNull();
        assertThat(monitor.features()).singleElement()
                .satisfies(f -> assertThat(f.test()).isEqualTo(io.annals.command.api.drift.DriftTest.KOLMOGOROV_SMIRNOV));
    }

    @Test
    void whatItCannotBindExactlyGoesToSpringsBinderWithSpringsConversionsAndErrors() throws Exception {
        MethodParameter parameter = parameter("configureDriftMonitor");
        InputBinder binder = new InputBinder(SPRING);
        // a primitive without a value: Spring's binder gives it its default
        Map<String, Object> input = new HashMap<>(Map.of("endpoint", "churn", "psiThreshold", 0.25));
        assertThatThrownBy(() -> InputBinder.plan(parameter).orElseThrow().bind(input))
                .isInstanceOf(InputBinder.NotExact.class);
        assertThat(binder.resolveArgument(parameter, environment("input", input)))
                .isEqualTo(SPRING.bind(input, false, ResolvableType.forMethodParameter(parameter)));
        // an enum named with spaces around it: Spring's conversion trims it
        Map<String, Object> spaced = new HashMap<>(Map.of("endpoint", "churn", "psiThreshold", 0.25, "windowSize", 1,
                "features", List.of(Map.of("feature", "age", "test", " PSI "))));
        RegistryController.ConfigureDriftMonitorInput trimmed = (RegistryController.ConfigureDriftMonitorInput) binder
                .resolveArgument(parameter, environment("input", spaced));
        assertThat(trimmed.features().get(0).test()).isEqualTo(io.annals.command.api.drift.DriftTest.PSI);
        // an enum constant that does not exist: Spring's BindException, naming the field
        Map<String, Object> unknown = new HashMap<>(Map.of("endpoint", "churn", "psiThreshold", 0.25, "windowSize", 1,
                "features", List.of(Map.of("feature", "age", "test", "CHI_SQUARED_TEST"))));
        assertThatThrownBy(() -> binder.resolveArgument(parameter, environment("input", unknown)))
                .isInstanceOf(BindException.class).hasMessageContaining("features[0].test");
    }

    private static MethodParameter parameter(String method) throws ClassNotFoundException {
        return arguments().stream().filter(p -> p.getMethod().getName().equals(method)).findFirst().orElseThrow();
    }

    private static DataFetchingEnvironment environment(String name, Object value) {
        Map<String, Object> arguments = new HashMap<>();
        arguments.put(name, value);
        return DataFetchingEnvironmentImpl.newDataFetchingEnvironment().arguments(arguments).build();
    }

    /** A raw value of {@code type} as graphql-java hands it over: maps for input objects, names for enums. */
    private static Object sample(ResolvableType type, int depth) {
        Class<?> target = type.resolve(Object.class);
        if (target.isRecord()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (RecordComponent component : target.getRecordComponents()) {
                // a nested input a few levels down is left out, as a client may
                if (depth < 3 || !component.getType().isRecord()) {
                    fields.put(component.getName(), sample(ResolvableType.forType(component.getGenericType(), type),
                            depth + 1));
                }
            }
            return fields;
        }
        if (Collection.class.isAssignableFrom(target)) {
            ResolvableType element = type.asCollection().getGeneric(0);
            return List.of(sample(element, depth + 1), sample(element, depth + 1));
        }
        if (target.isEnum()) {
            Object[] constants = target.getEnumConstants();
            return ((Enum<?>) constants[constants.length - 1]).name();
        }
        if (target == String.class) {
            return "s" + depth;
        }
        if (target == int.class || target == Integer.class) {
            return 7;
        }
        if (target == long.class || target == Long.class) {
            // graphql-java's Int where the input says Int, the schema's Long scalar where it says Long
            return depth % 2 == 0 ? (Object) 9 : (Object) 9L;
        }
        if (target == double.class || target == Double.class) {
            return 0.5;
        }
        if (target == boolean.class || target == Boolean.class) {
            return true;
        }
        if (target == Instant.class) {
            return Instant.parse("2026-12-04T10:15:30Z");
        }
        throw new AssertionError("no sample for " + type + ": add one, and check InputBinder binds it exactly");
    }
}
