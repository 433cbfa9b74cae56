package io.annals.command.api.endpoint;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.annals.command.api.common.Ids;

/** The name of a serving endpoint, also its aggregate id. */
public record EndpointName(@JsonValue String value) {

    public EndpointName {
        Ids.requireName("endpoint name", value);
    }

    @JsonCreator
    public static EndpointName of(String value) {
        return new EndpointName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
