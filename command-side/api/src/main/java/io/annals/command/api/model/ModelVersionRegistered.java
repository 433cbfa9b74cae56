package io.annals.command.api.model;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingRunId;
import java.util.List;
import java.util.Map;

/**
 * A version from a completed run ({@code runId}), or imported from a file trained elsewhere ({@code imported}; then
 * {@code runId} and {@code baseline} are null and {@code metrics} empty).
 */
public record ModelVersionRegistered(ModelName model, int version, TrainingRunId runId, Task task,
                                     List<String> features, ArtifactRef artifact, Map<String, Double> metrics,
                                     ScoreBaseline baseline, ImportedModel imported) {

    public ModelVersionRegistered(ModelName model, int version, TrainingRunId runId, Task task, List<String> features,
                                  ArtifactRef artifact, Map<String, Double> metrics, ScoreBaseline baseline) {
        this(model, version, runId, task, features, artifact, metrics, baseline, null);
    }
}
