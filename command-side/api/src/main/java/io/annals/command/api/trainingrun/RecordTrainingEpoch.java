package io.annals.command.api.trainingrun;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** One finished epoch; also renews the worker's lease. */
public record RecordTrainingEpoch(@TargetAggregateIdentifier TrainingRunId runId, String workerId, int epoch,
                                  double trainLoss, double validationLoss, Map<String, Double> validationMetrics,
                                  Instant now, Duration lease) {

    public RecordTrainingEpoch {
        validationMetrics = Map.copyOf(validationMetrics);
    }
}
