package io.annals.command.api.trainingrun;

import java.time.Instant;

public record TrainingRunClaimed(TrainingRunId runId, String workerId, int attempt, Instant leaseExpiresAt) {
}
