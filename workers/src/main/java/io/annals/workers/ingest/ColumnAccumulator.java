package io.annals.workers.ingest;

import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnStatistics;
import io.annals.command.api.dataset.ColumnType;
import java.time.Instant;

/**
 * Streaming statistics of one column (Welford's algorithm for mean and variance); for a timestamp column, the earliest
 * and latest instant in seconds since the epoch.
 */
final class ColumnAccumulator {

    private final ColumnSpec spec;
    private long count;
    private long nulls;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double mean;
    private double m2;

    ColumnAccumulator(ColumnSpec spec) {
        this.spec = spec;
    }

    void addNull() {
        count++;
        nulls++;
    }

    void addText() {
        count++;
    }

    void add(double value) {
        count++;
        long n = count - nulls;
        double delta = value - mean;
        mean += delta / n;
        m2 += delta * (value - mean);
        min = Math.min(min, value);
        max = Math.max(max, value);
    }

    /** An instant counts towards the earliest and latest, in seconds since the epoch; it has no mean. */
    void addInstant(Instant value) {
        count++;
        double seconds = value.getEpochSecond() + value.getNano() / 1e9;
        min = Math.min(min, seconds);
        max = Math.max(max, seconds);
    }

    ColumnStatistics result() {
        long n = count - nulls;
        if (spec.type() == ColumnType.TIMESTAMP && n > 0) {
            return new ColumnStatistics(spec.name(), count, nulls, min, max, null, null);
        }
        if (!spec.type().isNumeric() || n == 0) {
            return new ColumnStatistics(spec.name(), count, nulls, null, null, null, null);
        }
        double variance = n > 1 ? m2 / (n - 1) : 0.0;
        return new ColumnStatistics(spec.name(), count, nulls, min, max, mean, Math.sqrt(variance));
    }
}
