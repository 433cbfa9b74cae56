package io.annals.command.api.trainingrun;

import io.annals.command.api.model.ModelName;

/** A completed run that will not become a model version: the model refused it, for the reason given. */
public record ModelRegistrationFailed(TrainingRunId runId, ModelName model, String reason) {
}
