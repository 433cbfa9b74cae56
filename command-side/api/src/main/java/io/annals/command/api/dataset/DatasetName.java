package io.annals.command.api.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.annals.command.api.common.Ids;

/** The name of a dataset, also its aggregate id. */
public record DatasetName(@JsonValue String value) {

    public DatasetName {
        Ids.requireName("dataset name", value);
    }

    @JsonCreator
    public static DatasetName of(String value) {
        return new DatasetName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
