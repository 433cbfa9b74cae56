package io.annals.command.api.featureset;

import io.annals.command.api.dataset.ColumnType;

/**
 * How a feature folds the source rows of one entity inside its window into one value. Empty cells of the column are
 * left out of every aggregation; {@link #LAST} takes the value of the latest row, empty or not.
 */
public enum Aggregation {
    /** The value of the row with the latest event time (ties: the later batch, then the later row). */
    LAST,
    /** The sum of the values; 0 without any. */
    SUM,
    /** How many rows have a value in the column; 0 without any. */
    COUNT,
    /** The arithmetic mean; empty without any value. */
    MEAN,
    MIN,
    MAX;

    /** Whether the aggregation can fold a column of this type. */
    public boolean accepts(ColumnType type) {
        return switch (this) {
            case LAST, COUNT -> true;
            case SUM, MEAN -> type.isNumeric();
            case MIN, MAX -> type.isNumeric() || type == ColumnType.TIMESTAMP;
        };
    }

    /** The type of the feature's values, given its column's. */
    public ColumnType outputType(ColumnType input) {
        return switch (this) {
            case LAST, MIN, MAX -> input;
            case COUNT -> ColumnType.LONG;
            case SUM -> input == ColumnType.DOUBLE ? ColumnType.DOUBLE : ColumnType.LONG;
            case MEAN -> ColumnType.DOUBLE;
        };
    }

    /** Whether the feature has a value even for an entity with no rows in the window (0). */
    public boolean alwaysHasValue() {
        return this == SUM || this == COUNT;
    }
}
