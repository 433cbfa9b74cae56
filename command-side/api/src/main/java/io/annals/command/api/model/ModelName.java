package io.annals.command.api.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.annals.command.api.common.Ids;

/** The name of a model, also its aggregate id; versions are numbered under it. */
public record ModelName(@JsonValue String value) {

    public ModelName {
        Ids.requireName("model name", value);
    }

    @JsonCreator
    public static ModelName of(String value) {
        return new ModelName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
