package io.annals.command.api.model;

import io.annals.command.api.common.Ids;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A worker could not evaluate (the batch lacks a column, a label is not one of the model's classes, ...). */
public record FailModelEvaluation(@TargetAggregateIdentifier ModelName model, EvaluationId evaluationId,
                                  String reason) {

    public FailModelEvaluation {
        Ids.requireText("failure reason", reason);
    }
}
