package io.annals.command.api.endpoint;

import io.annals.command.api.model.ModelName;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Makes a model version serve all of an endpoint's traffic, creating the endpoint on first use. */
public record DeployModelVersion(@TargetAggregateIdentifier EndpointName endpoint, ModelName model, int version,
                                 String reason) {

    public DeployModelVersion {
        Objects.requireNonNull(endpoint, "endpoint is required");
        Objects.requireNonNull(model, "model is required");
        if (version < 1) {
            throw new IllegalArgumentException("model version must be 1 or more, got " + version);
        }
        reason = reason == null ? "" : reason;
    }
}
