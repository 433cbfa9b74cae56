package io.annals.command.api.trainingset;

import io.annals.command.api.featureset.FeatureSetName;
import java.util.Objects;

/** A training set a run trained on, with the feature set version it was computed with. */
public record TrainingSetRef(TrainingSetId id, FeatureSetName featureSet, int version) {

    public TrainingSetRef {
        Objects.requireNonNull(id, "training set id is required");
        Objects.requireNonNull(featureSet, "feature set is required");
    }
}
