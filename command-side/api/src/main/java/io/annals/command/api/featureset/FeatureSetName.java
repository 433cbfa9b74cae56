package io.annals.command.api.featureset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.annals.command.api.common.Ids;

/** The name of a feature set, also its stream id; versions are numbered under it. */
public record FeatureSetName(@JsonValue String value) {

    public FeatureSetName {
        Ids.requireName("feature set name", value);
    }

    @JsonCreator
    public static FeatureSetName of(String value) {
        return new FeatureSetName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
