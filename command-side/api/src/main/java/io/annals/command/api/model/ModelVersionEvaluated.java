package io.annals.command.api.model;

import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.common.InputProfile;
import io.annals.command.api.common.ScoreBaseline;
import java.util.Map;

/**
 * The task's metrics of a version on a batch, over {@code rows} rows with a label, and the distribution of its scores
 * there ({@code baseline}) and the profile of the batch's inputs ({@code profile}): the drift references of a version
 * that has none from training.
 */
public record ModelVersionEvaluated(ModelName model, int version, EvaluationId evaluationId, BatchRef batch,
                                    long rows, Map<String, Double> metrics, ScoreBaseline baseline,
                                    InputProfile profile) {

    public ModelVersionEvaluated(ModelName model, int version, EvaluationId evaluationId, BatchRef batch, long rows,
                                 Map<String, Double> metrics, ScoreBaseline baseline) {
        this(model, version, evaluationId, batch, rows, metrics, baseline, null);
    }

    public ModelVersionEvaluated(ModelName model, int version, EvaluationId evaluationId, BatchRef batch, long rows,
                                 Map<String, Double> metrics) {
        this(model, version, evaluationId, batch, rows, metrics, null);
    }
}
