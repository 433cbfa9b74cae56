package io.annals.command.api.model;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingRunId;
import java.util.List;
import java.util.Map;

public record ModelVersionRegistered(ModelName model, int version, TrainingRunId runId, Task task,
                                     List<String> features, ArtifactRef artifact, Map<String, Double> metrics,
                                     ScoreBaseline baseline) {
}
