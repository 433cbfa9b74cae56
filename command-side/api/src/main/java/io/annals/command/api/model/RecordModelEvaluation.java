package io.annals.command.api.model;

import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A worker's result; the first one recorded for an evaluation counts, later ones change nothing. */
public record RecordModelEvaluation(@TargetAggregateIdentifier ModelName model, EvaluationId evaluationId,
                                    long rows, Map<String, Double> metrics) {

    public RecordModelEvaluation {
        metrics = Map.copyOf(metrics);
    }
}
