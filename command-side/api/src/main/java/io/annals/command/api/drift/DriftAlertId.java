package io.annals.command.api.drift;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.annals.command.api.common.Ids;

/** The id of the drift alert stream of one endpoint and model version. */
public record DriftAlertId(@JsonValue String value) {

    public DriftAlertId {
        Ids.requireText("drift alert id", value);
    }

    @JsonCreator
    public static DriftAlertId of(String value) {
        return new DriftAlertId(value);
    }

    /** The alert stream of the score of an endpoint and model version. */
    public static DriftAlertId forTarget(io.annals.command.api.endpoint.EndpointName endpoint,
                                         io.annals.command.api.model.ModelName model, int version) {
        return new DriftAlertId(endpoint.value() + "~" + model.value() + "~v" + version);
    }

    /**
     * One alert stream per endpoint, model version and feature ({@code null}: the score), so that one open alert is
     * a rule of one aggregate.
     */
    public static DriftAlertId forTarget(io.annals.command.api.endpoint.EndpointName endpoint,
                                         io.annals.command.api.model.ModelName model, int version, String feature) {
        DriftAlertId score = forTarget(endpoint, model, version);
        return feature == null ? score : new DriftAlertId(score.value() + "~f:" + feature);
    }

    @Override
    public String toString() {
        return value;
    }
}
