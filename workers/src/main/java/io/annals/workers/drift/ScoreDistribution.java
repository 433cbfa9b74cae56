package io.annals.workers.drift;

import io.annals.command.api.common.ScoreBaseline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Quantile bins — of validation scores (a version's score baseline) or of a feature's reference values — and the
 * share of values in each; PSI against a baseline is {@link DriftStatistics#psi} over those shares.
 */
public final class ScoreDistribution {

    private ScoreDistribution() {
    }

    /** The inner edges of up to {@code bins} quantile bins and the share of values in each. */
    record QuantileBins(List<Double> edges, List<Double> fractions) {
    }

    /** Bins the scores at their deciles (fewer edges where scores repeat). */
    public static ScoreBaseline baseline(float[] scores, int bins) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("a baseline needs scores");
        }
        double[] sorted = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            sorted[i] = scores[i];
        }
        Arrays.sort(sorted);
        QuantileBins quantiles = quantileBins(sorted, bins);
        return new ScoreBaseline(quantiles.edges(), quantiles.fractions(), scores.length);
    }

    /** Quantile bins of sorted values: the edge of bin i is the value at rank i·n/bins, repeats merged. */
    static QuantileBins quantileBins(double[] sorted, int bins) {
        int n = sorted.length;
        List<Double> edges = new ArrayList<>();
        for (int i = 1; i < bins; i++) {
            double edge = sorted[(int) Math.min(n - 1, Math.floor((double) i * n / bins))];
            if (edges.isEmpty() || edge > edges.get(edges.size() - 1)) {
                edges.add(edge);
            }
        }
        double[] shares = shares(edges, sorted, n);
        List<Double> fractions = new ArrayList<>(shares.length);
        for (double share : shares) {
            fractions.add(share);
        }
        return new QuantileBins(edges, fractions);
    }

    /** The share of the first {@code n} values in each bin of {@code edges}. */
    static double[] shares(List<Double> edges, double[] values, int n) {
        double[] shares = new double[edges.size() + 1];
        for (int i = 0; i < n; i++) {
            shares[bin(edges, values[i])]++;
        }
        for (int i = 0; i < shares.length; i++) {
            shares[i] /= n;
        }
        return shares;
    }

    /** PSI of live scores against the baseline's bins. */
    public static double psi(ScoreBaseline baseline, double[] scores) {
        return DriftStatistics.psi(baseline.fractions().stream().mapToDouble(Double::doubleValue).toArray(),
                shares(baseline.binEdges(), scores, scores.length));
    }

    /** Bin i holds values in [edge(i-1), edge(i)); the last bin is open above. */
    static int bin(List<Double> edges, double value) {
        int lo = 0;
        int hi = edges.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (value < edges.get(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
