package io.annals.command.api.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** One version of one model, written {@code model#version} where it is a key (a document id, a map key). */
public record ModelVersionRef(ModelName model, int version) {

    public ModelVersionRef {
        if (model == null) {
            throw new IllegalArgumentException("a model version needs a model");
        }
        if (version < 1) {
            throw new IllegalArgumentException("model versions start at 1, got " + version);
        }
    }

    public static ModelVersionRef of(String model, int version) {
        return new ModelVersionRef(ModelName.of(model), version);
    }

    @JsonCreator
    public static ModelVersionRef parse(String key) {
        int hash = key == null ? -1 : key.lastIndexOf('#');
        if (hash < 1) {
            throw new IllegalArgumentException("'" + key + "' is not a model version (model#version)");
        }
        try {
            return of(key.substring(0, hash), Integer.parseInt(key.substring(hash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' is not a model version (model#version)");
        }
    }

    @JsonValue
    @Override
    public String toString() {
        return model.value() + "#" + version;
    }
}
