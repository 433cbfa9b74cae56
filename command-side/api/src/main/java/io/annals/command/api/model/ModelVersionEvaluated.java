package io.annals.command.api.model;

import io.annals.command.api.trainingrun.BatchRef;
import java.util.Map;

/** The task's metrics of a version on a batch, over {@code rows} rows with a label. */
public record ModelVersionEvaluated(ModelName model, int version, EvaluationId evaluationId, BatchRef batch,
                                    long rows, Map<String, Double> metrics) {
}
