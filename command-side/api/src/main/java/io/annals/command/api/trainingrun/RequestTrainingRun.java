package io.annals.command.api.trainingrun;

import io.annals.command.api.common.Ids;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.trainingset.TrainingSetId;
import java.util.List;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Asks for a model to be trained on exactly these batches, or on the batch a completed training set became
 * ({@code trainingSet}, with {@code batches} empty), with these settings and this seed; {@code rerunOf} names the run
 * this one repeats exactly, when it does.
 */
public record RequestTrainingRun(@TargetAggregateIdentifier TrainingRunId runId, ModelName model, Task task,
                                 List<BatchRef> batches, List<String> features, String label,
                                 Hyperparameters hyperparameters, long seed, TrainingSetId trainingSet,
                                 TrainingRunId rerunOf) {

    public RequestTrainingRun(TrainingRunId runId, ModelName model, Task task, List<BatchRef> batches,
                              List<String> features, String label, Hyperparameters hyperparameters, long seed,
                              TrainingSetId trainingSet) {
        this(runId, model, task, batches, features, label, hyperparameters, seed, trainingSet, null);
    }

    /** A run on batches. */
    public RequestTrainingRun(TrainingRunId runId, ModelName model, Task task, List<BatchRef> batches,
                              List<String> features, String label, Hyperparameters hyperparameters, long seed) {
        this(runId, model, task, batches, features, label, hyperparameters, seed, null, null);
    }

    public RequestTrainingRun {
        Objects.requireNonNull(runId, "run id is required");
        Objects.requireNonNull(model, "model is required");
        Objects.requireNonNull(task, "task is required");
        batches = batches == null ? List.of() : batches;
        if (trainingSet == null && batches.isEmpty()) {
            throw new IllegalArgumentException("a training run needs at least one dataset batch, or a training set");
        }
        if (trainingSet != null && !batches.isEmpty()) {
            throw new IllegalArgumentException("a training run reads either batches or a training set, not both");
        }
        if (features == null || features.isEmpty()) {
            throw new IllegalArgumentException("a training run needs at least one feature column");
        }
        Ids.requireText("label column", label);
        if (features.contains(label)) {
            throw new IllegalArgumentException("label column '" + label + "' cannot also be a feature");
        }
        batches = List.copyOf(batches);
        features = List.copyOf(features);
        hyperparameters = hyperparameters == null ? Hyperparameters.DEFAULTS : hyperparameters;
        if (runId.equals(rerunOf)) {
            throw new IllegalArgumentException("a run cannot repeat itself");
        }
    }
}
