package io.annals.command.api.trainingset;

import java.time.Instant;

public record TrainingSetProgressed(TrainingSetId id, String phase, long done, long total, Instant leaseExpiresAt) {
}
