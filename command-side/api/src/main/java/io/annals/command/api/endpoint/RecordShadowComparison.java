package io.annals.command.api.endpoint;

import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sent by the drift monitor when a window of a shadow version's mirrored scores is full. {@code windowId} names the
 * window (its first request and the shadow version), so a window reported twice is recorded once.
 */
public record RecordShadowComparison(@TargetAggregateIdentifier EndpointName endpoint, String windowId,
                                     ShadowComparison comparison) {

    public RecordShadowComparison {
        Objects.requireNonNull(endpoint, "endpoint is required");
        Objects.requireNonNull(windowId, "windowId is required");
        Objects.requireNonNull(comparison, "comparison is required");
    }
}
