package io.annals.command.api.endpoint;

import java.util.List;

/**
 * How an endpoint's inputs and scores are watched for drift. A window closes at {@code windowSize} rows or
 * {@code windowSeconds} after its first row, whichever comes first. The score is compared by PSI with
 * {@code psiThreshold} (critical at {@code criticalPsiThreshold}); each input feature by its rule in {@code features}
 * or, without one, by the default test for its type and reference size. With {@code maxErrorRate}, the share of a
 * window's rows that failed (their request was refused: rows a version could not read, a model that failed) is
 * watched too: past it is a warning, past twice it (at most 1) critical; null: not watched.
 */
public record DriftMonitorSettings(double psiThreshold, int windowSize, int windowSeconds,
                                   double criticalPsiThreshold, List<FeatureDriftRule> features,
                                   Double maxErrorRate) {

    public static final double DEFAULT_PSI_THRESHOLD = 0.2;
    public static final int DEFAULT_WINDOW_SIZE = 500;
    public static final int DEFAULT_WINDOW_SECONDS = 900;

    public DriftMonitorSettings {
        features = features == null ? List.of() : List.copyOf(features);
    }

    public DriftMonitorSettings(double psiThreshold, int windowSize) {
        this(psiThreshold, windowSize, DEFAULT_WINDOW_SECONDS, psiThreshold * 2, List.of());
    }

    /** Without watching the error rate. */
    public DriftMonitorSettings(double psiThreshold, int windowSize, int windowSeconds, double criticalPsiThreshold,
                                List<FeatureDriftRule> features) {
        this(psiThreshold, windowSize, windowSeconds, criticalPsiThreshold, features, null);
    }

    /** The error rate past which a window is critical: twice the threshold, at most 1; null when not watched. */
    public Double criticalErrorRate() {
        return maxErrorRate == null ? null : Math.min(1, maxErrorRate * 2);
    }

    /** Settings with the defaults filled in: 900 s windows, a critical PSI twice the threshold, no feature rules. */
    public static DriftMonitorSettings of(double psiThreshold, int windowSize, Integer windowSeconds,
                                          Double criticalPsiThreshold, List<FeatureDriftRule> features) {
        return of(psiThreshold, windowSize, windowSeconds, criticalPsiThreshold, features, null);
    }

    public static DriftMonitorSettings of(double psiThreshold, int windowSize, Integer windowSeconds,
                                          Double criticalPsiThreshold, List<FeatureDriftRule> features,
                                          Double maxErrorRate) {
        return new DriftMonitorSettings(psiThreshold, windowSize,
                windowSeconds == null ? DEFAULT_WINDOW_SECONDS : windowSeconds,
                criticalPsiThreshold == null ? psiThreshold * 2 : criticalPsiThreshold, features, maxErrorRate);
    }

    /** The rule for a feature, or null for the default. */
    public FeatureDriftRule rule(String feature) {
        for (FeatureDriftRule r : features) {
            if (r.feature().equals(feature)) {
                return r;
            }
        }
        return null;
    }
}
