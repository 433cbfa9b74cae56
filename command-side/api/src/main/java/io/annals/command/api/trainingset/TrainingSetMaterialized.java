package io.annals.command.api.trainingset;

import io.annals.command.api.featureset.FeatureSetName;

/** The training set is written: the batch it is, and the feature set version it was computed with. */
public record TrainingSetMaterialized(TrainingSetId id, FeatureSetName featureSet, int version, String workerId,
                                      TrainingSetOutput output) {
}
