package io.annals.workers.ingest;

import io.annals.command.api.dataset.ColumnType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * How a CSV cell is read as a value of its column's type, in one place: ingest validates with it, and everything
 * that reads a stored batch (the point-in-time join) reads the same values. An empty cell is null.
 */
public final class CsvValues {

    private CsvValues() {
    }

    /** A finite double, or {@code null} when the text is not one. */
    public static Double toDouble(String raw) {
        try {
            double value = Double.parseDouble(raw.trim());
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static Long toLong(String raw) {
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static Boolean toBoolean(String raw) {
        return switch (raw.trim().toLowerCase()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> null;
        };
    }

    /**
     * An ISO-8601 instant: {@code 2026-03-01T12:00:00Z}, with fractions of a second and with an offset instead of
     * {@code Z} ({@code 2026-03-01T13:00:00+01:00}); null when the text is not one, or has no zone (a local time
     * would mean different instants on different machines).
     */
    public static Instant toInstant(String raw) {
        String text = raw.trim();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    /** Nanoseconds since the epoch; instants between the years 1678 and 2261 fit. */
    public static Long toEpochNanos(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** Whether a non-empty cell is a value of the type. */
    public static boolean valid(ColumnType type, String raw) {
        return switch (type) {
            case STRING -> true;
            case DOUBLE -> toDouble(raw) != null;
            case LONG -> toLong(raw) != null;
            case BOOLEAN -> toBoolean(raw) != null;
            case TIMESTAMP -> toInstant(raw) != null;
        };
    }
}
