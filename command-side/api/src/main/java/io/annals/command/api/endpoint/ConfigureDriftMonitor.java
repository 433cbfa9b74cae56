package io.annals.command.api.endpoint;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sets how the drift monitor watches this endpoint: windows of {@code windowSize} rows or {@code windowSeconds}
 * (null: 900), the score's PSI threshold and critical threshold (null: twice the threshold), and rules per input
 * feature, and the share of failed rows past which a window is an alert ({@code maxErrorRate}, null: not watched).
 */
public record ConfigureDriftMonitor(@TargetAggregateIdentifier EndpointName endpoint, double psiThreshold,
                                    int windowSize, Integer windowSeconds, Double criticalPsiThreshold,
                                    List<FeatureDriftRule> features, Double maxErrorRate) {

    public static final double DEFAULT_PSI_THRESHOLD = DriftMonitorSettings.DEFAULT_PSI_THRESHOLD;
    public static final int DEFAULT_WINDOW_SIZE = DriftMonitorSettings.DEFAULT_WINDOW_SIZE;
    public static final int MAX_FEATURE_RULES = 1_000;

    public ConfigureDriftMonitor {
        if (!(psiThreshold > 0 && psiThreshold <= 10)) {
            throw new IllegalArgumentException("psiThreshold must be in (0, 10], got " + psiThreshold);
        }
        if (windowSize < 50 || windowSize > 1_000_000) {
            throw new IllegalArgumentException("windowSize must be between 50 and 1000000, got " + windowSize);
        }
        if (windowSeconds != null && (windowSeconds < 10 || windowSeconds > 7 * 24 * 3600)) {
            throw new IllegalArgumentException("windowSeconds must be between 10 and 604800 (a week), got "
                    + windowSeconds);
        }
        if (criticalPsiThreshold != null && !(criticalPsiThreshold >= psiThreshold && criticalPsiThreshold <= 10)) {
            throw new IllegalArgumentException("criticalPsiThreshold must be in [psiThreshold, 10], got "
                    + criticalPsiThreshold);
        }
        if (maxErrorRate != null) {
            io.annals.command.api.drift.DriftTest.ERROR_RATE.requireThreshold("maxErrorRate", maxErrorRate);
        }
        features = features == null ? List.of() : List.copyOf(features);
        if (features.size() > MAX_FEATURE_RULES) {
            throw new IllegalArgumentException("at most " + MAX_FEATURE_RULES + " feature rules, got "
                    + features.size());
        }
        Set<String> seen = new HashSet<>();
        for (FeatureDriftRule rule : features) {
            if (!seen.add(rule.feature())) {
                throw new IllegalArgumentException("feature '" + rule.feature() + "' has two rules");
            }
        }
    }

    public ConfigureDriftMonitor(EndpointName endpoint, double psiThreshold, int windowSize) {
        this(endpoint, psiThreshold, windowSize, null, null, List.of());
    }

    /** Without watching the error rate. */
    public ConfigureDriftMonitor(EndpointName endpoint, double psiThreshold, int windowSize, Integer windowSeconds,
                                 Double criticalPsiThreshold, List<FeatureDriftRule> features) {
        this(endpoint, psiThreshold, windowSize, windowSeconds, criticalPsiThreshold, features, null);
    }

    /** The settings this asks for, defaults filled in. */
    public DriftMonitorSettings settings() {
        return DriftMonitorSettings.of(psiThreshold, windowSize, windowSeconds, criticalPsiThreshold, features,
                maxErrorRate);
    }
}
