package io.annals.command.api.endpoint;

import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Opts an endpoint in (or out) of automatic rollback: when a drift alert is raised against the version deployed
 * last, with a PSI of at least {@code minPsi} (any alert when null), the endpoint rolls back to the revision before.
 */
public record ConfigureRolloutPolicy(@TargetAggregateIdentifier EndpointName endpoint, boolean rollBackOnDrift,
                                     Double minPsi) {

    public ConfigureRolloutPolicy {
        Objects.requireNonNull(endpoint, "endpoint is required");
        if (minPsi != null && (minPsi.isNaN() || minPsi < 0)) {
            throw new IllegalArgumentException("minPsi must be a PSI of 0 or more");
        }
    }
}
