package io.annals.command.api.endpoint;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Sets when the drift monitor raises an alert for this endpoint: PSI above the threshold over a window. */
public record ConfigureDriftMonitor(@TargetAggregateIdentifier EndpointName endpoint, double psiThreshold,
                                    int windowSize) {

    public static final double DEFAULT_PSI_THRESHOLD = 0.2;
    public static final int DEFAULT_WINDOW_SIZE = 500;

    public ConfigureDriftMonitor {
        if (!(psiThreshold > 0 && psiThreshold <= 10)) {
            throw new IllegalArgumentException("psiThreshold must be in (0, 10], got " + psiThreshold);
        }
        if (windowSize < 50 || windowSize > 1_000_000) {
            throw new IllegalArgumentException("windowSize must be between 50 and 1000000, got " + windowSize);
        }
    }
}
