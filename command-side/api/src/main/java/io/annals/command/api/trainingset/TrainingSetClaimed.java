package io.annals.command.api.trainingset;

import java.time.Instant;

public record TrainingSetClaimed(TrainingSetId id, String workerId, int attempt, Instant leaseExpiresAt) {
}
