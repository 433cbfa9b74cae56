package io.annals.command.api.trainingrun;

import java.time.Instant;
import java.util.Map;

public record TrainingEpochCompleted(TrainingRunId runId, int epoch, int epochs, double trainLoss,
                                     double validationLoss, Map<String, Double> validationMetrics,
                                     Instant leaseExpiresAt) {
}
