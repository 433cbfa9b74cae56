package io.annals.command.api.endpoint;

import io.annals.command.api.drift.DriftSeverity;

/** {@code minSeverity} is null in events recorded before severities (and when any alert counts). */
public record RolloutPolicyConfigured(EndpointName endpoint, boolean rollBackOnDrift, Double minPsi,
                                      DriftSeverity minSeverity) {

    public RolloutPolicyConfigured(EndpointName endpoint, boolean rollBackOnDrift, Double minPsi) {
        this(endpoint, rollBackOnDrift, minPsi, null);
    }
}
