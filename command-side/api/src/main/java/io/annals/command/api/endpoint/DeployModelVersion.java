package io.annals.command.api.endpoint;

import io.annals.command.api.common.Ids;
import io.annals.command.api.model.ModelName;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Makes a model version serve an endpoint's traffic, creating the endpoint on first use. The version is given by
 * number or by alias (such as {@code champion}); the revision records the version the alias pointed at. With
 * {@code trafficPercent} below 100 it is a canary: the new version gets that share and the version serving now
 * keeps the rest. In {@link DeploymentMode#SHADOW} mode the version serving now keeps all the traffic and the new one
 * receives {@code trafficPercent} of the requests mirrored, answering nobody.
 */
public record DeployModelVersion(@TargetAggregateIdentifier EndpointName endpoint, ModelName model, Integer version,
                                 String alias, Integer trafficPercent, String reason, DeploymentMode mode) {

    public DeployModelVersion(EndpointName endpoint, ModelName model, Integer version, String alias,
                              Integer trafficPercent, String reason) {
        this(endpoint, model, version, alias, trafficPercent, reason, DeploymentMode.LIVE);
    }

    public DeployModelVersion {
        Objects.requireNonNull(endpoint, "endpoint is required");
        Objects.requireNonNull(model, "model is required");
        if ((version == null) == (alias == null)) {
            throw new IllegalArgumentException("give either a model version or an alias, not "
                    + (version == null ? "neither" : "both"));
        }
        if (version != null && version < 1) {
            throw new IllegalArgumentException("model version must be 1 or more, got " + version);
        }
        if (alias != null) {
            Ids.requireName("alias", alias);
        }
        trafficPercent = trafficPercent == null ? 100 : trafficPercent;
        if (trafficPercent < 1 || trafficPercent > 100) {
            throw new IllegalArgumentException("trafficPercent must be between 1 and 100, got " + trafficPercent);
        }
        reason = reason == null ? "" : reason;
        mode = mode == null ? DeploymentMode.LIVE : mode;
    }

    public static DeployModelVersion version(EndpointName endpoint, ModelName model, int version, String reason) {
        return new DeployModelVersion(endpoint, model, version, null, 100, reason);
    }
}
