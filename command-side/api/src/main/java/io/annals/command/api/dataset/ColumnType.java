package io.annals.command.api.dataset;

/** The type of a dataset column; numeric and boolean columns can be model features. */
public enum ColumnType {
    DOUBLE, LONG, BOOLEAN, STRING;

    public boolean isNumeric() {
        return this != STRING;
    }
}
