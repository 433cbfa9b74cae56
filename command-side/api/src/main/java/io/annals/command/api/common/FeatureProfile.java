package io.annals.command.api.common;

import java.util.List;
import java.util.Map;

/**
 * The reference distribution of one input feature, what its live values are compared with.
 *
 * <p>A numeric feature has summary statistics, {@code quantiles} (the 0th to 100th percentile, 101 values, from which
 * Kolmogorov–Smirnov and Wasserstein read the reference's distribution function) and a histogram: {@code binEdges}
 * are the inner edges of quantile bins (n edges make n + 1 bins), {@code fractions} the share of present values in
 * each. A numeric feature of at most {@value #FEW_VALUES} distinct values also has {@code categories} (the value as
 * text → count), since the tests read it as categorical. A categorical feature has only {@code categories}.
 *
 * @param count   rows that had a value
 * @param missing rows that had none
 * @param distinct distinct values seen, counted up to {@value #DISTINCT_CAP} (more reads as the cap)
 */
public record FeatureProfile(String feature, Kind kind, long count, long missing, long distinct, Double mean,
                             Double std, Double min, Double max, List<Double> quantiles, List<Double> binEdges,
                             List<Double> fractions, Map<String, Long> categories) {

    public static final int FEW_VALUES = 5;
    public static final int DISTINCT_CAP = 1_000;

    /** How the tests read a feature. */
    public enum Kind { NUMERIC, CATEGORICAL }

    public FeatureProfile {
        Ids.requireText("feature", feature);
        quantiles = quantiles == null ? null : List.copyOf(quantiles);
        binEdges = binEdges == null ? null : List.copyOf(binEdges);
        fractions = fractions == null ? null : List.copyOf(fractions);
        categories = categories == null ? null : Map.copyOf(categories);
        if (binEdges != null && (fractions == null || fractions.size() != binEdges.size() + 1)) {
            throw new IllegalArgumentException("feature '" + feature + "': a histogram of " + binEdges.size()
                    + " edges needs " + (binEdges.size() + 1) + " fractions");
        }
    }

    /** Whether the tests read this feature's values as categories (categorical, or numeric with few values). */
    public boolean readAsCategories() {
        return kind == Kind.CATEGORICAL || (categories != null && distinct <= FEW_VALUES);
    }
}
