package io.annals.command.api.trainingset;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The job cannot be done; {@code workerId} is null when the failure is not a worker's. */
public record FailTrainingSet(@TargetAggregateIdentifier TrainingSetId id, String workerId, String reason) {
}
