package io.annals.command.api.trainingset;

public record TrainingSetLeaseExpired(TrainingSetId id, String workerId, int attempt) {
}
