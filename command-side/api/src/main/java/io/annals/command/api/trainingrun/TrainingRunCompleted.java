package io.annals.command.api.trainingrun;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.InputProfile;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.model.ModelName;
import java.util.List;
import java.util.Map;

/**
 * {@code environment}: the versions that trained it (see {@link CompleteTrainingRun}); {@code profile}: the
 * reference profile of its training inputs, what the drift monitor compares live inputs with. Both null in older runs.
 */
public record TrainingRunCompleted(TrainingRunId runId, ModelName model, Task task, List<BatchRef> batches,
                                   List<String> features, String workerId, ArtifactRef artifact,
                                   Map<String, Double> metrics, ScoreBaseline baseline,
                                   Map<String, String> environment, InputProfile profile) {

    public TrainingRunCompleted(TrainingRunId runId, ModelName model, Task task, List<BatchRef> batches,
                                List<String> features, String workerId, ArtifactRef artifact,
                                Map<String, Double> metrics, ScoreBaseline baseline, Map<String, String> environment) {
        this(runId, model, task, batches, features, workerId, artifact, metrics, baseline, environment, null);
    }

    public TrainingRunCompleted(TrainingRunId runId, ModelName model, Task task, List<BatchRef> batches,
                                List<String> features, String workerId, ArtifactRef artifact,
                                Map<String, Double> metrics, ScoreBaseline baseline) {
        this(runId, model, task, batches, features, workerId, artifact, metrics, baseline, null);
    }
}
