package io.annals.command.api.drift;

/**
 * The drift tests, and how each decides: a statistical test drifts when its p-value is below the threshold, a
 * distance when it is at or above the threshold.
 */
public enum DriftTest {
    PSI(false, 0.2), KOLMOGOROV_SMIRNOV(true, 0.05), CHI_SQUARE(true, 0.05), PROPORTIONS_Z(true, 0.05),
    WASSERSTEIN_NORMED(false, 0.1), JENSEN_SHANNON(false, 0.1),
    /** Not a test of a distribution: the share of a window's rows that failed (their request was refused). */
    ERROR_RATE(false, 0.05);

    private final boolean statistical;
    private final double defaultThreshold;

    DriftTest(boolean statistical, double defaultThreshold) {
        this.statistical = statistical;
        this.defaultThreshold = defaultThreshold;
    }

    /** Whether the threshold is compared with a p-value (true) or a distance (false). */
    public boolean statistical() {
        return statistical;
    }

    /** The threshold Evidently uses for this test: p &lt; 0.05, or a distance of 0.1 (PSI 0.2). */
    public double defaultThreshold() {
        return defaultThreshold;
    }

    /**
     * The critical threshold when none is configured: a p-value ten times smaller, or a distance twice as large.
     */
    public double defaultCritical(double threshold) {
        return statistical ? threshold / 10 : threshold * 2;
    }

    /** The number the threshold is compared with: the p-value of a statistical test, the distance itself. */
    public double decisive(double statistic, double pValue) {
        return statistical ? pValue : statistic;
    }

    /** Whether a test's decisive number passed a threshold. */
    public boolean passed(double decisive, double threshold) {
        return statistical ? decisive < threshold : decisive >= threshold;
    }

    /** Checks a threshold of this test: a p-value in (0, 1), a distance in (0, 100]. */
    public void requireThreshold(String what, double threshold) {
        boolean share = this == ERROR_RATE;
        boolean valid = statistical || share ? threshold > 0 && threshold < 1 : threshold > 0 && threshold <= 100;
        if (!valid) {
            throw new IllegalArgumentException(what + " of " + name() + " must be " + (statistical
                    ? "a p-value in (0, 1)" : share ? "a share in (0, 1)" : "a distance in (0, 100]") + ", got "
                    + threshold);
        }
    }
}
