package io.annals.command.api.dataset;

/**
 * Statistics of one column of one batch. For numeric and boolean columns min, max, mean and standard deviation
 * are set (booleans count as 0 and 1); for strings they are null.
 */
public record ColumnStatistics(String column, long count, long nulls, Double min, Double max, Double mean,
                               Double stddev) {
}
