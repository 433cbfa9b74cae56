package io.annals.command.api.endpoint;

import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Opts an endpoint in (or out) of automatic rollback: when a drift alert is raised (or escalated) against the version
 * deployed last, with a PSI of at least {@code minPsi} and a severity of at least {@code minSeverity} (each: any when
 * null), the endpoint rolls back to the revision before.
 */
public record ConfigureRolloutPolicy(@TargetAggregateIdentifier EndpointName endpoint, boolean rollBackOnDrift,
                                     Double minPsi, io.annals.command.api.drift.DriftSeverity minSeverity) {

    public ConfigureRolloutPolicy(EndpointName endpoint, boolean rollBackOnDrift, Double minPsi) {
        this(endpoint, rollBackOnDrift, minPsi, null);
    }

    public ConfigureRolloutPolicy {
        Objects.requireNonNull(endpoint, "endpoint is required");
        if (minPsi != null && (minPsi.isNaN() || minPsi < 0)) {
            throw new IllegalArgumentException("minPsi must be a PSI of 0 or more");
        }
    }
}
