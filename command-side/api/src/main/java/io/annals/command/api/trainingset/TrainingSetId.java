package io.annals.command.api.trainingset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.annals.command.api.common.Ids;

/** The id of a training set's materialisation job, also its stream id and the id of the batch it writes. */
public record TrainingSetId(@JsonValue String value) {

    public TrainingSetId {
        Ids.requireText("training set id", value);
    }

    @JsonCreator
    public static TrainingSetId of(String value) {
        return new TrainingSetId(value);
    }

    public static TrainingSetId random() {
        return new TrainingSetId(java.util.UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
