package io.annals.app.graphql;

import graphql.schema.DataFetchingEnvironment;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.graphql.data.ArgumentValue;
import org.springframework.graphql.data.GraphQlArgumentBinder;
import org.springframework.graphql.data.method.annotation.support.ArgumentMethodArgumentResolver;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Binds {@code @Argument} parameters — the API's input records, their lists and enums, and plain scalars — through a
 * plan worked out once per parameter, where Spring for GraphQL's {@link GraphQlArgumentBinder} works out the target's
 * type, constructor and parameter names by reflection on every call (a tenth of a mutation's request thread in Java
 * Flight Recorder's profile of {@code registerDataset}). The plan only takes a value it can bind exactly as Spring's
 * binder would: an input object into a record through its only constructor, a list into an {@link ArrayList} (a set
 * into a {@link LinkedHashSet}), an enum constant by its exact name, a scalar of the target's own type (or an
 * {@code Int} into a {@code long}). Anything else — a conversion, a value that does not fit, a constructor that throws,
 * a type the plan does not cover ({@link Optional}, {@link ArgumentValue}, maps, beans) — goes to Spring's binder, so
 * conversions and errors (a {@code BindException} naming the field) are exactly Spring's.
 */
final class InputBinder extends ArgumentMethodArgumentResolver {

    /** Input types nest, but never without end in this schema: a deeper type is left to Spring's binder. */
    private static final int DEEPEST = 16;

    private final Map<MethodParameter, Optional<Plan>> plans = new ConcurrentHashMap<>();

    InputBinder(GraphQlArgumentBinder binder) {
        super(binder);
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, DataFetchingEnvironment environment) throws Exception {
        Optional<Plan> plan = plans.computeIfAbsent(parameter, InputBinder::plan);
        if (plan.isPresent()) {
            String name = plan.get().name();
            Object raw = environment.getArgument(name);
            try {
                return plan.get().bind(raw);
            } catch (NotExact notExact) {
                // Spring's binder converts it, or names what is wrong with it
            }
        }
        return super.resolveArgument(parameter, environment);
    }

    /** The plan for a parameter, or none where Spring's binder is to bind it every time. */
    static Optional<Plan> plan(MethodParameter parameter) {
        try {
            String name = argumentName(parameter);
            Binding binding = binding(ResolvableType.forMethodParameter(parameter), 0);
            return Optional.of(new Plan(name, binding));
        } catch (NotExact | IllegalArgumentException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** The argument's name as Spring's resolver finds it: the annotation's name, else the parameter's. */
    private static String argumentName(MethodParameter parameter) {
        org.springframework.graphql.data.method.annotation.Argument argument =
                parameter.getParameterAnnotation(org.springframework.graphql.data.method.annotation.Argument.class);
        if (argument == null) {
            throw new IllegalStateException("not an @Argument");
        }
        if (!argument.name().isEmpty()) {
            return argument.name();
        }
        String name = parameter.getParameterName();
        if (name == null) {
            throw new IllegalStateException("no parameter name");
        }
        return name;
    }

    /** The parameter's name and how to bind its value. */
    record Plan(String name, Binding binding) {
        Object bind(Object raw) {
            return binding.bind(raw);
        }
    }

    /** How to bind one raw value (a map, a list or a scalar from graphql-java) to one target type. */
    @FunctionalInterface
    interface Binding {
        /** The bound value, or {@link NotExact} where Spring's binder is to take it. */
        Object bind(Object raw);
    }

    private static Binding binding(ResolvableType type, int depth) {
        if (depth > DEEPEST) {
            throw NotExact.INSTANCE;
        }
        Class<?> target = type.resolve();
        if (target == null || target == Optional.class || target == ArgumentValue.class) {
            throw NotExact.INSTANCE;
        }
        if (target == Object.class) {
            return raw -> raw;
        }
        if (target.isRecord()) {
            return record(type, target, depth);
        }
        if (target == List.class || target == Collection.class || target == Set.class) {
            Binding element = binding(type.asCollection().getGeneric(0), depth + 1);
            Supplier<Collection<Object>> collection = target == Set.class ? LinkedHashSet::new : ArrayList::new;
            return raw -> {
                if (raw == null) {
                    return null;
                }
                if (!(raw instanceof Collection<?> values)) {
                    throw NotExact.INSTANCE;
                }
                Collection<Object> bound = collection.get();
                for (Object value : values) {
                    bound.add(element.bind(value));
                }
                return bound;
            };
        }
        if (target.isEnum()) {
            Map<String, Object> constants = new HashMap<>();
            for (Object constant : target.getEnumConstants()) {
                constants.put(((Enum<?>) constant).name(), constant);
            }
            return raw -> {
                if (raw == null || target.isInstance(raw)) {
                    return raw;
                }
                Object constant = raw instanceof String name ? constants.get(name) : null;
                if (constant == null) {
                    throw NotExact.INSTANCE;
                }
                return constant;
            };
        }
        if (Map.class.isAssignableFrom(target) || Collection.class.isAssignableFrom(target)) {
            throw NotExact.INSTANCE;
        }
        return scalar(target);
    }

    /** A value of the target's own type as it is; an {@code Int} into a {@code long}; anything else not exact. */
    private static Binding scalar(Class<?> target) {
        Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(target);
        boolean primitive = target.isPrimitive();
        boolean widensInt = boxed == Long.class;
        return raw -> {
            if (raw == null) {
                // a primitive gets its default value from Spring's binder
                if (primitive) {
                    throw NotExact.INSTANCE;
                }
                return null;
            }
            if (boxed.isInstance(raw)) {
                return raw;
            }
            if (widensInt && raw instanceof Integer i) {
                return i.longValue();
            }
            throw NotExact.INSTANCE;
        };
    }

    private static Binding record(ResolvableType type, Class<?> target, int depth) {
        if (target.getDeclaredConstructors().length != 1) {
            // Spring's binder picks among several constructors by its own rules
            throw NotExact.INSTANCE;
        }
        RecordComponent[] components = target.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        String[] names = new String[components.length];
        Binding[] bindings = new Binding[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            names[i] = components[i].getName();
            bindings[i] = binding(ResolvableType.forType(components[i].getGenericType(), type), depth + 1);
        }
        Constructor<?> constructor;
        try {
            constructor = target.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw NotExact.INSTANCE;
        }
        ReflectionUtils.makeAccessible(constructor);
        return raw -> {
            if (raw == null) {
                return null;
            }
            if (!(raw instanceof Map<?, ?> fields)) {
                throw NotExact.INSTANCE;
            }
            Object[] arguments = new Object[names.length];
            for (int i = 0; i < names.length; i++) {
                arguments[i] = bindings[i].bind(fields.get(names[i]));
            }
            try {
                return constructor.newInstance(arguments);
            } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
                // Spring's binder calls it again and reports the failure its own way
                throw NotExact.INSTANCE;
            }
        };
    }

    /** A value or a type the plan does not bind exactly as Spring's binder would: Spring's binder takes it. */
    static final class NotExact extends RuntimeException {
        static final NotExact INSTANCE = new NotExact();

        private NotExact() {
            super("left to Spring's binder", null, false, false);
        }
    }
}
