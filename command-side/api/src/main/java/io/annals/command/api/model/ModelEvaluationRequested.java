package io.annals.command.api.model;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.Task;
import java.util.List;

/**
 * What a worker needs to evaluate: the version's artifact, task and features (and signature, when imported), and
 * the batch as recorded.
 */
public record ModelEvaluationRequested(ModelName model, int version, EvaluationId evaluationId, BatchInput batch,
                                       ArtifactRef artifact, Task task, List<String> features,
                                       ImportedModel imported) {

    public ModelEvaluationRequested(ModelName model, int version, EvaluationId evaluationId, BatchInput batch,
                                    ArtifactRef artifact, Task task, List<String> features) {
        this(model, version, evaluationId, batch, artifact, task, features, null);
    }
}
