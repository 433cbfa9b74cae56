package io.annals.command.api.trainingset;

import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.featureset.FeatureSetName;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Asks for a point-in-time-correct training set: version {@code version} of {@code featureSet} computed for each
 * label row, written as a batch of the dataset {@code output} (created on first use).
 */
public record MaterializeTrainingSet(@TargetAggregateIdentifier TrainingSetId id, FeatureSetName featureSet,
                                     int version, LabelSpec labels, DatasetName output) {

    public MaterializeTrainingSet {
        Objects.requireNonNull(id, "training set id is required");
        Objects.requireNonNull(featureSet, "feature set is required");
        Objects.requireNonNull(labels, "labels are required");
        Objects.requireNonNull(output, "the name of the training set's dataset is required");
        if (version < 1) {
            throw new IllegalArgumentException("feature set version must be 1 or more, not " + version);
        }
    }
}
