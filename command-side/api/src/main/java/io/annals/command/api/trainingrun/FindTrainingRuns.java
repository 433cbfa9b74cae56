package io.annals.command.api.trainingrun;

import io.annals.command.api.model.ModelName;

/** Training runs, newest first; of one model when {@code model} is set. */
public record FindTrainingRuns(ModelName model, int limit) {
}
