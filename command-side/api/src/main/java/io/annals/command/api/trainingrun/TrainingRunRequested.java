package io.annals.command.api.trainingrun;

import io.annals.command.api.model.ModelName;
import io.annals.command.api.trainingset.TrainingSetRef;
import java.util.List;

public record TrainingRunRequested(TrainingRunId runId, ModelName model, Task task, List<BatchRef> batches,
                                   List<String> features, String label, Hyperparameters hyperparameters, long seed,
                                   List<BatchInput> inputs, TrainingSetRef trainingSet) {
}
