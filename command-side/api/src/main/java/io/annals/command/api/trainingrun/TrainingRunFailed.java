package io.annals.command.api.trainingrun;

public record TrainingRunFailed(TrainingRunId runId, String workerId, String reason) {
}
