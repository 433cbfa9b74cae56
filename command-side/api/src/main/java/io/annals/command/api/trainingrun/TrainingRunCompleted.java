package io.annals.command.api.trainingrun;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.model.ModelName;
import java.util.List;
import java.util.Map;

public record TrainingRunCompleted(TrainingRunId runId, ModelName model, Task task, List<BatchRef> batches,
                                   List<String> features, String workerId, ArtifactRef artifact,
                                   Map<String, Double> metrics, ScoreBaseline baseline) {
}
