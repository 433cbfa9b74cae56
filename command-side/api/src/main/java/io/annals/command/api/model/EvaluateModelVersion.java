package io.annals.command.api.model;

import io.annals.command.api.trainingrun.BatchRef;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Asks for a version's metrics on one batch, computed by a worker (for example a champion and a challenger). */
public record EvaluateModelVersion(@TargetAggregateIdentifier ModelName model, int version,
                                   EvaluationId evaluationId, BatchRef batch) {

    public EvaluateModelVersion {
        Objects.requireNonNull(evaluationId, "an evaluation needs an id");
        Objects.requireNonNull(batch, "an evaluation needs a batch");
    }
}
