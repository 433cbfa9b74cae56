package io.annals.workers.features;

import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.featureset.Aggregation;
import io.annals.command.api.featureset.FeatureSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * One feature's aggregate over the source rows of one entity, as the label time moves forward: rows are added in
 * event-time order (ties: batch, then row) and, with a window, leave it once their time is at or before
 * {@code t - window}. Sums are exact (doubles added as their exact binary values), so the result does not depend on
 * the order rows enter and leave; minimum and maximum of a window use monotonic queues. Memory holds the rows of one
 * entity's current window, nothing for "all history".
 */
final class FeatureWindow {

    private record Entry(long time, BigDecimal value) {
    }

    private final Aggregation aggregation;
    private final ColumnType type;
    private final ColumnType outputType;
    private final Long windowNanos;
    /** Non-empty values in the window, oldest first (windowed SUM, COUNT, MEAN). */
    private final ArrayDeque<Entry> values = new ArrayDeque<>();
    /** Candidates for the minimum or maximum of the window, oldest first, each better than any older one. */
    private final ArrayDeque<Entry> extremes = new ArrayDeque<>();
    private BigDecimal sum = BigDecimal.ZERO;
    private long count;
    private BigDecimal extreme;
    private boolean hasLast;
    private long lastTime;
    private String lastRaw;

    FeatureWindow(FeatureSpec feature, ColumnType type) {
        this.aggregation = feature.aggregation();
        this.type = type;
        this.outputType = aggregation.outputType(type);
        Duration window = feature.windowDuration();
        this.windowNanos = window == null ? null : window.toNanos();
    }

    void reset() {
        values.clear();
        extremes.clear();
        sum = BigDecimal.ZERO;
        count = 0;
        extreme = null;
        hasLast = false;
        lastRaw = null;
    }

    /** The next row of the entity, in event-time order; {@code raw} is its cell ("" when empty). */
    void add(long time, String raw) {
        if (aggregation == Aggregation.LAST) {
            hasLast = true;
            lastTime = time;
            lastRaw = raw;
            return;
        }
        if (raw.isEmpty()) {
            return;
        }
        BigDecimal value = aggregation == Aggregation.COUNT ? BigDecimal.ONE : Cells.number(type, raw);
        switch (aggregation) {
            case SUM, MEAN, COUNT -> {
                sum = sum.add(value);
                count++;
                if (windowNanos != null) {
                    values.addLast(new Entry(time, value));
                }
            }
            case MIN, MAX -> {
                if (windowNanos == null) {
                    if (extreme == null || better(value, extreme)) {
                        extreme = value;
                    }
                } else {
                    while (!extremes.isEmpty() && !better(extremes.peekLast().value(), value)) {
                        extremes.pollLast();
                    }
                    extremes.addLast(new Entry(time, value));
                }
            }
            default -> throw new IllegalStateException(aggregation.name());
        }
    }

    private boolean better(BigDecimal candidate, BigDecimal than) {
        int c = candidate.compareTo(than);
        return aggregation == Aggregation.MIN ? c < 0 : c > 0;
    }

    /** The feature's value at label time {@code t}, every row up to {@code t} having been added; null if empty. */
    String valueAt(long t) {
        long bound = windowNanos == null ? Long.MIN_VALUE : saturatedMinus(t, windowNanos);
        if (windowNanos != null) {
            while (!values.isEmpty() && values.peekFirst().time() <= bound) {
                Entry gone = values.pollFirst();
                sum = sum.subtract(gone.value());
                count--;
            }
            while (!extremes.isEmpty() && extremes.peekFirst().time() <= bound) {
                extremes.pollFirst();
            }
        }
        return switch (aggregation) {
            case LAST -> hasLast && lastTime > bound && !lastRaw.isEmpty() ? Cells.canonical(type, lastRaw) : null;
            case COUNT -> Long.toString(count);
            case SUM -> Cells.format(outputType, sum);
            case MEAN -> count == 0 ? null
                    : Double.toString(sum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL128).doubleValue());
            case MIN, MAX -> {
                BigDecimal value = windowNanos == null ? extreme
                        : extremes.isEmpty() ? null : extremes.peekFirst().value();
                yield value == null ? null : Cells.format(outputType, value);
            }
        };
    }

    private static long saturatedMinus(long t, long window) {
        long bound = t - window;
        return ((t ^ window) & (t ^ bound)) < 0 ? Long.MIN_VALUE : bound;
    }
}
