package io.annals.command.api.trainingrun;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.annals.command.api.common.Ids;

/** The id of a training run, also its aggregate id. */
public record TrainingRunId(@JsonValue String value) {

    public TrainingRunId {
        Ids.requireText("training run id", value);
    }

    @JsonCreator
    public static TrainingRunId of(String value) {
        return new TrainingRunId(value);
    }

    public static TrainingRunId random() {
        return new TrainingRunId(java.util.UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
