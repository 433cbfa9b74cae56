package io.annals.app.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

/**
 * The schema's own scalars: {@code DateTime} (an {@link Instant}, ISO-8601 in UTC) and {@code Long} (64-bit counts,
 * sizes and log positions, which GraphQL's {@code Int} cannot hold). A malformed value is a {@code BAD_REQUEST}
 * naming what was expected, before anything runs.
 */
@Configuration(proxyBeanMethods = false)
class Scalars {

    static final GraphQLScalarType DATE_TIME = GraphQLScalarType.newScalar().name("DateTime")
            .description("An instant, ISO-8601 in UTC").coercing(new Coercing<Instant, String>() {
                @Override
                public String serialize(Object value, GraphQLContext context, Locale locale) {
                    if (value instanceof Instant instant) {
                        return instant.toString();
                    }
                    throw new CoercingSerializeException("not an instant: " + value);
                }

                @Override
                public Instant parseValue(Object input, GraphQLContext context, Locale locale) {
                    if (input instanceof String text) {
                        return parse(text, CoercingParseValueException::new);
                    }
                    throw new CoercingParseValueException("a DateTime is a string such as 2026-11-23T10:15:30Z, got "
                            + input);
                }

                @Override
                public Instant parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                                            Locale locale) {
                    if (input instanceof StringValue text) {
                        return parse(text.getValue(), CoercingParseLiteralException::new);
                    }
                    throw new CoercingParseLiteralException("a DateTime is a string such as 2026-11-23T10:15:30Z");
                }
            }).build();

    static final GraphQLScalarType LONG = GraphQLScalarType.newScalar().name("Long")
            .description("A 64-bit integer").coercing(new Coercing<Long, Long>() {
                @Override
                public Long serialize(Object value, GraphQLContext context, Locale locale) {
                    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
                        return ((Number) value).longValue();
                    }
                    throw new CoercingSerializeException("not a whole number: " + value);
                }

                @Override
                public Long parseValue(Object input, GraphQLContext context, Locale locale) {
                    if (input instanceof Long || input instanceof Integer) {
                        return ((Number) input).longValue();
                    }
                    if (input instanceof BigInteger big && big.bitLength() < 64) {
                        return big.longValue();
                    }
                    throw new CoercingParseValueException("a Long is a whole number within 64 bits, got " + input);
                }

                @Override
                public Long parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                                         Locale locale) {
                    if (input instanceof IntValue number && number.getValue().bitLength() < 64) {
                        return number.getValue().longValue();
                    }
                    throw new CoercingParseLiteralException("a Long is a whole number within 64 bits");
                }
            }).build();

    private interface Failure<E extends RuntimeException> {
        E of(String message);
    }

    private static <E extends RuntimeException> Instant parse(String text, Failure<E> failure) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw failure.of("'" + text + "' is not an ISO-8601 instant such as 2026-11-23T10:15:30Z");
        }
    }

    @Bean
    RuntimeWiringConfigurer annalsScalars() {
        return wiring -> wiring.scalar(DATE_TIME).scalar(LONG);
    }
}
