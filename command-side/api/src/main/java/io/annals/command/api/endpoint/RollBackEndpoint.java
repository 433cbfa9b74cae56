package io.annals.command.api.endpoint;

import io.annals.command.api.common.Ids;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Restores an earlier revision as a new one. Without {@code asOf} it restores the revision that was live before
 * the current one; with it, the revision that was live at that instant.
 */
public record RollBackEndpoint(@TargetAggregateIdentifier EndpointName endpoint, String reason, Instant asOf) {

    public RollBackEndpoint {
        Objects.requireNonNull(endpoint, "endpoint is required");
        Ids.requireText("rollback reason", reason);
    }
}
