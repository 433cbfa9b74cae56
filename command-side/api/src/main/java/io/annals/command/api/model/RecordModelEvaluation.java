package io.annals.command.api.model;

import io.annals.command.api.common.InputProfile;
import io.annals.command.api.common.ScoreBaseline;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A worker's result; the first one recorded for an evaluation counts, later ones change nothing. {@code baseline}:
 * the distribution of the scores on the batch, a drift reference for versions that have none from training.
 */
public record RecordModelEvaluation(@TargetAggregateIdentifier ModelName model, EvaluationId evaluationId,
                                    long rows, Map<String, Double> metrics, ScoreBaseline baseline,
                                    InputProfile profile) {

    public RecordModelEvaluation(ModelName model, EvaluationId evaluationId, long rows, Map<String, Double> metrics,
                                 ScoreBaseline baseline) {
        this(model, evaluationId, rows, metrics, baseline, null);
    }

    public RecordModelEvaluation(ModelName model, EvaluationId evaluationId, long rows, Map<String, Double> metrics) {
        this(model, evaluationId, rows, metrics, null, null);
    }


    public RecordModelEvaluation {
        metrics = Map.copyOf(metrics);
    }
}
