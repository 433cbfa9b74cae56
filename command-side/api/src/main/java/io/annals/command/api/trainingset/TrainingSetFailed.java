package io.annals.command.api.trainingset;

public record TrainingSetFailed(TrainingSetId id, String workerId, String reason) {
}
