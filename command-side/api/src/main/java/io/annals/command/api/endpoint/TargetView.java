package io.annals.command.api.endpoint;

import io.annals.command.api.model.ModelVersionRef;

/**
 * A model version serving a share of an endpoint's traffic, or, when {@code shadow}, receiving that share of it
 * mirrored without answering.
 */
public record TargetView(String model, int version, int trafficPercent, boolean shadow) {

    public TargetView(String model, int version, int trafficPercent) {
        this(model, version, trafficPercent, false);
    }

    public static TargetView of(ServingTarget target) {
        return new TargetView(target.model().value(), target.version(), target.trafficPercent(), target.shadow());
    }

    public ModelVersionRef ref() {
        return ModelVersionRef.of(model, version);
    }
}
