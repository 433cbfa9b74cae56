package io.annals.command.api.dataset;

/** The type of a dataset column; numeric and boolean columns can be model features. */
public enum ColumnType {
    DOUBLE, LONG, BOOLEAN, STRING,
    /** An instant, written in CSV as ISO-8601 with a zone offset: {@code 2026-03-01T12:00:00Z}. */
    TIMESTAMP;

    /** Whether a model can take the column as a number (a boolean as 0 or 1). */
    public boolean isNumeric() {
        return this == DOUBLE || this == LONG || this == BOOLEAN;
    }
}
