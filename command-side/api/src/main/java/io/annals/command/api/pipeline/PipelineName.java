package io.annals.command.api.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.annals.command.api.common.Ids;

/** The name of a pipeline, also its stream's name ({@code pipeline:<name>}). */
public record PipelineName(@JsonValue String value) {

    public PipelineName {
        Ids.requireName("pipeline name", value);
    }

    @JsonCreator
    public static PipelineName of(String value) {
        return new PipelineName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
