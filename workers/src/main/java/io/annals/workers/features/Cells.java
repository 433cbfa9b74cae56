package io.annals.workers.features;

import io.annals.command.api.dataset.ColumnType;
import io.annals.workers.ingest.CsvValues;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Values of cells as the join compares, adds and writes them: every value written is in one canonical form per type
 * ({@code 2.5}, {@code 7}, {@code true}, {@code 2026-03-01T12:00:00Z}), whatever form the source cell had.
 */
final class Cells {

    private Cells() {
    }

    /** A key cell as the text two equal keys share ({@code 007} and {@code 7} are the same LONG). */
    static String key(ColumnType type, String raw) {
        if (raw.isEmpty()) {
            return null;
        }
        return switch (type) {
            case LONG -> Long.toString(CsvValues.toLong(raw));
            case BOOLEAN -> Boolean.toString(CsvValues.toBoolean(raw));
            case TIMESTAMP -> Long.toString(CsvValues.toEpochNanos(CsvValues.toInstant(raw)));
            case STRING -> raw;
            case DOUBLE -> throw new IllegalArgumentException("a DOUBLE column cannot be an entity key");
        };
    }

    /** An event or label time in nanoseconds since the epoch; null for an empty cell. */
    static Long time(String raw) {
        if (raw.isEmpty()) {
            return null;
        }
        Instant instant = CsvValues.toInstant(raw);
        Long nanos = instant == null ? null : CsvValues.toEpochNanos(instant);
        if (nanos == null) {
            throw new IllegalArgumentException("'" + raw + "' is not an instant between the years 1678 and 2261");
        }
        return nanos;
    }

    /** A numeric view of a non-empty cell, exact: doubles as their exact binary value, booleans as 0 or 1. */
    static BigDecimal number(ColumnType type, String raw) {
        return switch (type) {
            case DOUBLE -> new BigDecimal(CsvValues.toDouble(raw));
            case LONG -> BigDecimal.valueOf(CsvValues.toLong(raw));
            case BOOLEAN -> CsvValues.toBoolean(raw) ? BigDecimal.ONE : BigDecimal.ZERO;
            case TIMESTAMP -> BigDecimal.valueOf(time(raw));
            case STRING -> throw new IllegalArgumentException("a STRING column has no numbers");
        };
    }

    /** A non-empty source cell written in canonical form. */
    static String canonical(ColumnType type, String raw) {
        return switch (type) {
            case DOUBLE -> Double.toString(CsvValues.toDouble(raw));
            case LONG -> Long.toString(CsvValues.toLong(raw));
            case BOOLEAN -> Boolean.toString(CsvValues.toBoolean(raw));
            case TIMESTAMP -> CsvValues.toInstant(raw).toString();
            case STRING -> raw;
        };
    }

    /** A number of the given type written in canonical form (a sum, a minimum). */
    static String format(ColumnType type, BigDecimal value) {
        return switch (type) {
            case DOUBLE -> Double.toString(value.doubleValue());
            case LONG -> value.toBigIntegerExact().toString();
            case BOOLEAN -> Boolean.toString(value.signum() != 0);
            case TIMESTAMP -> {
                long nanos = value.longValueExact();
                yield Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos,
                        1_000_000_000L)).toString();
            }
            case STRING -> throw new IllegalArgumentException("a STRING column has no numbers");
        };
    }
}
