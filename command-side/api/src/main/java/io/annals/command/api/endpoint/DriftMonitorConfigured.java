package io.annals.command.api.endpoint;

import java.util.List;

/**
 * An endpoint's drift settings. Events recorded before windows by time and feature rules have only the threshold and
 * the window size; {@link #settings()} fills in the defaults for them.
 */
public record DriftMonitorConfigured(EndpointName endpoint, double psiThreshold, int windowSize,
                                     Integer windowSeconds, Double criticalPsiThreshold,
                                     List<FeatureDriftRule> features, Double maxErrorRate) {

    public DriftMonitorConfigured(EndpointName endpoint, double psiThreshold, int windowSize) {
        this(endpoint, psiThreshold, windowSize, null, null, null, null);
    }

    public DriftMonitorConfigured(EndpointName endpoint, double psiThreshold, int windowSize, Integer windowSeconds,
                                  Double criticalPsiThreshold, List<FeatureDriftRule> features) {
        this(endpoint, psiThreshold, windowSize, windowSeconds, criticalPsiThreshold, features, null);
    }

    public DriftMonitorConfigured(EndpointName endpoint, DriftMonitorSettings settings) {
        this(endpoint, settings.psiThreshold(), settings.windowSize(), settings.windowSeconds(),
                settings.criticalPsiThreshold(), settings.features(), settings.maxErrorRate());
    }

    public DriftMonitorSettings settings() {
        return DriftMonitorSettings.of(psiThreshold, windowSize, windowSeconds, criticalPsiThreshold, features,
                maxErrorRate);
    }
}
