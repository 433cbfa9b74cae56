package io.annals.command.api.drift;

import java.time.Instant;
import java.util.Objects;

/**
 * What one window of live rows showed for one feature (or the score): the test, its statistic and p-value (NaN for
 * a distance), the threshold it passed and the severity, the PSI over the same bins (every finding has one, so that
 * alerts compare), and the histograms behind it.
 *
 * @param feature null for the score
 */
public record DriftFinding(String feature, DriftTest test, double statistic, Double pValue, double threshold,
                           double criticalThreshold, DriftSeverity severity, double psi, int windowRows,
                           Instant windowStart, Instant windowEnd, DriftHistogram histogram) {

    public DriftFinding {
        Objects.requireNonNull(test, "test");
        if (windowRows < 1) {
            throw new IllegalArgumentException("a finding needs a window of at least one row");
        }
    }

    /** What an error-rate finding names as its feature (no feature can be named so): one alert stream of its own. */
    public static final String ERRORS = "(errors)";

    /** The subject for a message: {@code feature 'x'}, {@code the score} or {@code the error rate}. */
    public String subject() {
        return test == DriftTest.ERROR_RATE ? "the error rate" : feature == null ? "the score"
                : "feature '" + feature + "'";
    }
}
