package io.annals.workers.drift;

import io.annals.command.api.common.FeatureProfile;
import io.annals.command.api.common.InputProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reference profiles of model inputs, computed from the rows a version learned from (or was evaluated on): per
 * numeric feature its summary statistics, 101 percentiles and a histogram of ten quantile bins; per categorical
 * feature (and numeric feature of few values) the frequency of each category. Raw rows (in the order of the
 * features) hold a {@code Float} (NaN when empty) for a numeric feature and a {@code String} (null when empty) for a
 * categorical one, as the trainer reads them.
 */
public final class InputProfiles {

    /** Categories kept per feature; the rarer ones are counted together as {@value #OTHER}. */
    static final int MAX_CATEGORIES = 1_000;
    public static final String OTHER = "(other)";
    static final int BINS = 10;
    static final int QUANTILES = 101;

    private InputProfiles() {
    }

    public static InputProfile of(List<String> features, List<Boolean> numeric, List<Object[]> rows) {
        List<FeatureProfile> profiles = new ArrayList<>();
        for (int j = 0; j < features.size(); j++) {
            profiles.add(numeric.get(j) ? numeric(features.get(j), j, rows) : categorical(features.get(j), j, rows));
        }
        return new InputProfile(rows.size(), profiles);
    }

    private static FeatureProfile numeric(String feature, int column, List<Object[]> rows) {
        double[] values = new double[rows.size()];
        int n = 0;
        for (int i = 0; i < rows.size(); i++) {
            double v = value(rows.get(i)[column]);
            if (!Double.isNaN(v)) {
                values[n++] = v;
            }
        }
        long missing = rows.size() - n;
        if (n == 0) {
            return new FeatureProfile(feature, FeatureProfile.Kind.NUMERIC, 0, missing, 0, null, null, null, null,
                    null, null, null, null);
        }
        double[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        double mean = sum / n;
        double squares = 0;
        for (double v : sorted) {
            squares += (v - mean) * (v - mean);
        }
        List<Double> quantiles = new ArrayList<>(QUANTILES);
        for (int q = 0; q < QUANTILES; q++) {
            quantiles.add(quantile(sorted, q / (double) (QUANTILES - 1)));
        }
        ScoreDistribution.QuantileBins bins = ScoreDistribution.quantileBins(sorted, BINS);
        long distinct = 1;
        Map<String, Long> few = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            if (i > 0 && sorted[i] != sorted[i - 1]) {
                distinct++;
            }
            if (distinct <= FeatureProfile.FEW_VALUES) {
                few.merge(category(sorted[i]), 1L, Long::sum);
            }
        }
        distinct = Math.min(distinct, FeatureProfile.DISTINCT_CAP);
        return new FeatureProfile(feature, FeatureProfile.Kind.NUMERIC, n, missing, distinct, mean,
                Math.sqrt(squares / n), sorted[0], sorted[n - 1], quantiles, bins.edges(), bins.fractions(),
                distinct <= FeatureProfile.FEW_VALUES ? few : null);
    }

    private static FeatureProfile categorical(String feature, int column, List<Object[]> rows) {
        Map<String, Long> counts = new HashMap<>();
        long missing = 0;
        for (int i = 0; i < rows.size(); i++) {
            Object v = rows.get(i)[column];
            if (v == null) {
                missing++;
            } else {
                counts.merge(v.toString(), 1L, Long::sum);
            }
        }
        long present = rows.size() - missing;
        long distinct = Math.min(counts.size(), FeatureProfile.DISTINCT_CAP);
        Map<String, Long> kept = new LinkedHashMap<>();
        List<Map.Entry<String, Long>> byCount = new ArrayList<>(counts.entrySet());
        byCount.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        for (int i = 0; i < byCount.size(); i++) {
            if (i < MAX_CATEGORIES - 1 || byCount.size() == MAX_CATEGORIES) {
                kept.put(byCount.get(i).getKey(), byCount.get(i).getValue());
            } else {
                kept.merge(OTHER, byCount.get(i).getValue(), Long::sum);
            }
        }
        return new FeatureProfile(feature, FeatureProfile.Kind.CATEGORICAL, present, missing, distinct, null, null,
                null, null, null, null, null, kept);
    }

    /** A numeric value read from a raw row or a logged score: NaN when empty. */
    static double value(Object raw) {
        if (raw instanceof Number number) {
            return number.doubleValue();
        }
        if (raw instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return Double.NaN;
    }

    /** The category a numeric value of few distinct values is counted under: {@code 1}, {@code 2.5}. */
    static String category(double value) {
        float f = (float) value;
        return f == Math.rint(f) && Math.abs(f) < 1e15 ? Long.toString((long) f) : Float.toString(f);
    }

    /** The q-quantile of sorted values, interpolated linearly between order statistics (NumPy's default). */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /**
     * {@code k} values spread over a profile's distribution: its quantile function (linear between the percentiles)
     * at {@code (i + ½) / k}. Kolmogorov–Smirnov and Wasserstein read the reference through these.
     */
    static double[] sample(List<Double> quantiles, int k) {
        double[] out = new double[k];
        int last = quantiles.size() - 1;
        for (int i = 0; i < k; i++) {
            double position = (i + 0.5) / k * last;
            int below = (int) Math.floor(position);
            int above = Math.min(last, below + 1);
            out[i] = quantiles.get(below) + (position - below) * (quantiles.get(above) - quantiles.get(below));
        }
        return out;
    }
}
