package io.annals.workers.drift;

import io.annals.command.api.drift.DriftTest;
import java.util.Arrays;

/**
 * The drift tests, implemented once (issue 10): population stability index, two-sample Kolmogorov–Smirnov with its
 * p-value, Jensen–Shannon distance, Wasserstein distance normalised by the reference's standard deviation, and
 * Pearson's chi-square for categories with its p-value. Each follows the definition Evidently uses, so that a
 * threshold means the same here as there; the tests check each against SciPy's value for fixed inputs.
 *
 * <p>Pure functions, no state; {@link DriftDetector} applies them to windows of live rows.
 */
public final class DriftStatistics {

    /** A share that is zero in one distribution counts as this much, so that PSI stays finite (as Evidently does). */
    static final double EMPTY_SHARE = 1e-4;

    private DriftStatistics() {
    }

    /** A test's statistic and, for a statistical test, its p-value (NaN for a distance). */
    public record Result(double statistic, double pValue) {
    }

    /**
     * PSI of two distributions given as shares of the same bins: {@code Σ (r − c) · ln(r / c)}, an empty share
     * counting as {@value #EMPTY_SHARE}.
     */
    public static double psi(double[] reference, double[] current) {
        requireSameBins(reference, current);
        double psi = 0;
        for (int i = 0; i < reference.length; i++) {
            double r = reference[i] == 0 ? EMPTY_SHARE : reference[i];
            double c = current[i] == 0 ? EMPTY_SHARE : current[i];
            psi += (r - c) * Math.log(r / c);
        }
        return psi;
    }

    /**
     * Jensen–Shannon distance (the square root of the divergence, natural logarithm) of two distributions given as
     * weights of the same bins, each normalised to sum to one: 0 for the same distribution, at most √ln 2.
     */
    public static double jensenShannon(double[] p, double[] q) {
        requireSameBins(p, q);
        double sumP = Arrays.stream(p).sum();
        double sumQ = Arrays.stream(q).sum();
        double divergence = 0;
        for (int i = 0; i < p.length; i++) {
            double a = p[i] / sumP;
            double b = q[i] / sumQ;
            double m = (a + b) / 2;
            divergence += (a > 0 ? a * Math.log(a / m) : 0) + (b > 0 ? b * Math.log(b / m) : 0);
        }
        return Math.sqrt(Math.max(0, divergence / 2));
    }

    /**
     * The first Wasserstein (earth mover's) distance between two samples, divided by the reference sample's standard
     * deviation (population form), so that a threshold reads in standard deviations: 0.1 is a tenth of one.
     */
    public static double wassersteinNormed(double[] reference, double[] current) {
        double[] a = sorted(reference);
        double[] b = sorted(current);
        // the area between the two empirical distribution functions, walked over the union of the values
        double distance = 0;
        int i = 0;
        int j = 0;
        double previous = Math.min(a[0], b[0]);
        while (i < a.length || j < b.length) {
            double next = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
            distance += Math.abs((double) i / a.length - (double) j / b.length) * (next - previous);
            while (i < a.length && a[i] == next) {
                i++;
            }
            while (j < b.length && b[j] == next) {
                j++;
            }
            previous = next;
        }
        double std = standardDeviation(reference);
        return std == 0 ? (distance == 0 ? 0 : Double.POSITIVE_INFINITY) : distance / std;
    }

    /**
     * The two-sample Kolmogorov–Smirnov test: the largest distance between the two empirical distribution functions,
     * and its p-value from Kolmogorov's limiting distribution at {@code √(nm / (n + m)) · D}.
     */
    public static Result kolmogorovSmirnov(double[] reference, double[] current) {
        double[] a = sorted(reference);
        double[] b = sorted(current);
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < a.length && j < b.length) {
            double value = Math.min(a[i], b[j]);
            while (i < a.length && a[i] == value) {
                i++;
            }
            while (j < b.length && b[j] == value) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / a.length - (double) j / b.length));
        }
        double en = (double) a.length * b.length / (a.length + b.length);
        return new Result(d, kolmogorovSurvival(Math.sqrt(en) * d));
    }

    /**
     * Pearson's chi-square test of current category counts against the reference's, scaled to the current total (as
     * Evidently does): {@code Σ (o − e)² / e} with {@code k − 1} degrees of freedom. Categories with no reference
     * count cannot be expected, so the caller folds them into one "other" category that has some.
     */
    public static Result chiSquare(long[] referenceCounts, long[] currentCounts) {
        return chiSquare(Arrays.stream(referenceCounts).asDoubleStream().toArray(), currentCounts);
    }

    /** As {@link #chiSquare(long[], long[])}, with reference weights (counts, or shares) that need not be whole. */
    public static Result chiSquare(double[] referenceCounts, long[] currentCounts) {
        requireSameBins(referenceCounts.length, currentCounts.length);
        double referenceTotal = Arrays.stream(referenceCounts).sum();
        double currentTotal = Arrays.stream(currentCounts).sum();
        double statistic = 0;
        for (int i = 0; i < referenceCounts.length; i++) {
            double expected = referenceCounts[i] * currentTotal / referenceTotal;
            if (expected == 0) {
                throw new IllegalArgumentException("category " + i + " has no reference count: fold it into one "
                        + "that has");
            }
            double diff = currentCounts[i] - expected;
            statistic += diff * diff / expected;
        }
        int degrees = referenceCounts.length - 1;
        return new Result(statistic, degrees < 1 ? Double.NaN : upperRegularizedGamma(degrees / 2.0, statistic / 2));
    }

    /**
     * The two-proportion z-test for a binary column (Evidently's test for two categories): the difference of the
     * shares of one category over its pooled standard error, and the two-sided p-value.
     */
    public static Result proportionsZ(long referenceHits, long referenceTotal, long currentHits, long currentTotal) {
        if (referenceTotal <= 0 || currentTotal <= 0) {
            throw new IllegalArgumentException("both samples need at least one value");
        }
        double p1 = (double) referenceHits / referenceTotal;
        double p2 = (double) currentHits / currentTotal;
        double pooled = (double) (referenceHits + currentHits) / (referenceTotal + currentTotal);
        double error = Math.sqrt(pooled * (1 - pooled) * (1.0 / referenceTotal + 1.0 / currentTotal));
        if (error == 0) {
            return new Result(0, p1 == p2 ? 1 : 0);
        }
        double z = (p1 - p2) / error;
        // 2 (1 − Φ(|z|)) = erfc(|z| / √2) = Q(1/2, z² / 2)
        return new Result(z, upperRegularizedGamma(0.5, z * z / 2));
    }

    /** A test with its threshold. */
    public record Choice(DriftTest test, double threshold) {
    }

    /**
     * The default test for a column, as Evidently documents it (Annals passes the size of the window's sample): with at
     * most 1,000 values, a statistical
     * test at 0.95 confidence — Kolmogorov–Smirnov for a numeric column of more than 5 distinct values, the z-test
     * for one of at most 2, chi-square otherwise; above 1,000, a distance at 0.1 — normalised Wasserstein for a
     * numeric column of more than 5 distinct values, Jensen–Shannon otherwise.
     */
    public static Choice defaultFor(boolean numeric, long values, long distinctValues) {
        boolean continuous = numeric && distinctValues > 5;
        if (values <= 1_000) {
            return new Choice(continuous ? DriftTest.KOLMOGOROV_SMIRNOV : distinctValues <= 2 ? DriftTest.PROPORTIONS_Z
                    : DriftTest.CHI_SQUARE, 0.05);
        }
        return new Choice(continuous ? DriftTest.WASSERSTEIN_NORMED : DriftTest.JENSEN_SHANNON, 0.1);
    }

    /** P(K > λ) for Kolmogorov's distribution K, by whichever of its two series converges fast at λ. */
    static double kolmogorovSurvival(double lambda) {
        if (lambda <= 0) {
            return 1;
        }
        if (lambda < 1.18) {
            // 1 − √(2π)/λ · Σ exp(−(2k − 1)² π² / (8λ²))
            double sum = 0;
            double factor = -Math.PI * Math.PI / (8 * lambda * lambda);
            for (int k = 1; k <= 20; k++) {
                sum += Math.exp((2 * k - 1) * (2 * k - 1) * factor);
            }
            return Math.max(0, Math.min(1, 1 - Math.sqrt(2 * Math.PI) / lambda * sum));
        }
        // 2 Σ (−1)^(k−1) exp(−2k²λ²)
        double sum = 0;
        for (int k = 1; k <= 100; k++) {
            double term = Math.exp(-2.0 * k * k * lambda * lambda);
            sum += (k % 2 == 1 ? term : -term);
            if (term < 1e-17) {
                break;
            }
        }
        return Math.max(0, Math.min(1, 2 * sum));
    }

    /** Q(a, x) = Γ(a, x) / Γ(a): by its series below a + 1, by its continued fraction above. */
    static double upperRegularizedGamma(double a, double x) {
        if (x <= 0) {
            return 1;
        }
        if (x < a + 1) {
            double term = 1 / a;
            double sum = term;
            for (int n = 1; n < 1_000; n++) {
                term *= x / (a + n);
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * 1e-16) {
                    break;
                }
            }
            return 1 - sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
        }
        // Lentz's method for the continued fraction
        double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 1_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < tiny ? tiny : d;
            c = b + an / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    /** ln Γ(x) for x > 0 (Lanczos, g = 7, nine coefficients: about 15 correct digits). */
    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        double z = x - 1;
        double sum = g[0];
        for (int i = 1; i < g.length; i++) {
            sum += g[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    private static double standardDeviation(double[] values) {
        double mean = Arrays.stream(values).average().orElse(0);
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / values.length);
    }

    private static double[] sorted(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a sample needs at least one value");
        }
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    private static void requireSameBins(double[] a, double[] b) {
        requireSameBins(a.length, b.length);
    }

    private static void requireSameBins(int a, int b) {
        if (a != b || a == 0) {
            throw new IllegalArgumentException("both distributions need the same bins, at least one; got " + a
                    + " and " + b);
        }
    }
}
