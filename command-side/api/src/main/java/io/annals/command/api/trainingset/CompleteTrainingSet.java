package io.annals.command.api.trainingset;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CompleteTrainingSet(@TargetAggregateIdentifier TrainingSetId id, String workerId,
                                  TrainingSetOutput output) {
}
