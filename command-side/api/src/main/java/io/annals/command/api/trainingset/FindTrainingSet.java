package io.annals.command.api.trainingset;

public record FindTrainingSet(TrainingSetId id) {
}
