package io.annals.command.api.trainingrun;

import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.trainingset.TrainingSetRef;
import java.util.List;

/**
 * @param columns the declared column of each feature, in order, then of the label: it tells the worker which
 *                features are categorical (STRING) and which numeric ones may be empty. Null in runs recorded before
 *                it was kept, whose features and label were all numeric and never empty.
 * @param rerunOf the run this one repeats with exactly the same inputs, settings and seed; null for a new run
 */
public record TrainingRunRequested(TrainingRunId runId, ModelName model, Task task, List<BatchRef> batches,
                                   List<String> features, String label, Hyperparameters hyperparameters, long seed,
                                   List<BatchInput> inputs, TrainingSetRef trainingSet, List<ColumnSpec> columns,
                                   TrainingRunId rerunOf) {

    public TrainingRunRequested(TrainingRunId runId, ModelName model, Task task, List<BatchRef> batches,
                                List<String> features, String label, Hyperparameters hyperparameters, long seed,
                                List<BatchInput> inputs, TrainingSetRef trainingSet, List<ColumnSpec> columns) {
        this(runId, model, task, batches, features, label, hyperparameters, seed, inputs, trainingSet, columns, null);
    }

    public TrainingRunRequested(TrainingRunId runId, ModelName model, Task task, List<BatchRef> batches,
                                List<String> features, String label, Hyperparameters hyperparameters, long seed,
                                List<BatchInput> inputs, TrainingSetRef trainingSet) {
        this(runId, model, task, batches, features, label, hyperparameters, seed, inputs, trainingSet, null);
    }
}
