package io.annals.command.api.trainingrun;

import io.annals.command.api.common.PageRequest;
import io.annals.command.api.model.ModelName;

/** Training runs, newest first; of one model when {@code model} is set. Answers a {@code Page<TrainingRunView>}. */
public record FindTrainingRuns(ModelName model, PageRequest page) {
}
