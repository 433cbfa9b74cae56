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

    /** One alert stream per endpoint and model version, so that one open alert is a rule of one aggregate. */
    public static DriftAlertId forTarget(io.annals.command.api.endpoint.EndpointName endpoint,
                                         io.annals.command.api.model.ModelName model, int version) {
        return new DriftAlertId(endpoint.value() + "~" + model.value() + "~v" + version);
    }

    @Override
    public String toString() {
        return value;
    }
}
