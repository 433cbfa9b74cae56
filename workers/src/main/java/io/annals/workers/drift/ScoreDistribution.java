package io.annals.workers.drift;

import io.annals.command.api.common.ScoreBaseline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Score baselines (quantile bins of validation scores) and the population stability index against them. */
public final class ScoreDistribution {

    /** Bins with fewer expected or actual scores than this share count as this share, so PSI stays finite. */
    private static final double FLOOR = 1e-4;

    private ScoreDistribution() {
    }

    /** Bins the scores at their deciles (fewer edges where scores repeat). */
    public static ScoreBaseline baseline(float[] scores, int bins) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("a baseline needs scores");
        }
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        List<Double> edges = new ArrayList<>();
        for (int i = 1; i < bins; i++) {
            double edge = sorted[(int) Math.min(sorted.length - 1, Math.floor((double) i * sorted.length / bins))];
            if (edges.isEmpty() || edge > edges.get(edges.size() - 1)) {
                edges.add(edge);
            }
        }
        double[] counts = counts(edges, scores);
        List<Double> fractions = new ArrayList<>();
        for (double c : counts) {
            fractions.add(c / scores.length);
        }
        return new ScoreBaseline(edges, fractions, scores.length);
    }

    /** PSI = Σ (actual − expected) · ln(actual / expected) over the baseline's bins. */
    public static double psi(ScoreBaseline baseline, double[] scores) {
        double[] counts = new double[baseline.fractions().size()];
        for (double s : scores) {
            counts[bin(baseline.binEdges(), s)]++;
        }
        double psi = 0;
        for (int i = 0; i < counts.length; i++) {
            double expected = Math.max(FLOOR, baseline.fractions().get(i));
            double actual = Math.max(FLOOR, counts[i] / scores.length);
            psi += (actual - expected) * Math.log(actual / expected);
        }
        return psi;
    }

    private static double[] counts(List<Double> edges, float[] scores) {
        double[] counts = new double[edges.size() + 1];
        for (float s : scores) {
            counts[bin(edges, s)]++;
        }
        return counts;
    }

    /** Bin i holds scores in [edge(i-1), edge(i)); the last bin is open above. */
    static int bin(List<Double> edges, double score) {
        int lo = 0;
        int hi = edges.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (score < edges.get(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
