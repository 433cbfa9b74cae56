package io.annals.command.api.endpoint;

import io.annals.command.api.model.ModelVersionRef;

/** A model version serving a share of an endpoint's traffic. */
public record TargetView(String model, int version, int trafficPercent) {

    public static TargetView of(ServingTarget target) {
        return new TargetView(target.model().value(), target.version(), target.trafficPercent());
    }

    public ModelVersionRef ref() {
        return ModelVersionRef.of(model, version);
    }
}
