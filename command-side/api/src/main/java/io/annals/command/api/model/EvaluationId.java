package io.annals.command.api.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.annals.command.api.common.Ids;
import java.util.UUID;

/** One evaluation of a model version on one batch. */
public record EvaluationId(@JsonValue String value) {

    public EvaluationId {
        Ids.requireText("evaluation id", value);
    }

    @JsonCreator
    public static EvaluationId of(String value) {
        return new EvaluationId(value);
    }

    public static EvaluationId random() {
        return new EvaluationId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
