package io.annals.command.api.model;

import io.annals.command.api.dataset.BatchView;
import io.annals.command.api.dataset.DatasetView;
import io.annals.command.api.featureset.FeatureSetVersionView;
import io.annals.command.api.trainingrun.TrainingRunView;
import io.annals.command.api.trainingset.TrainingSetView;
import java.util.List;

/**
 * What a model version was made from: its run, the batches the run read, and their datasets; when the run trained on
 * a training set, that training set, the feature set version that computed it, and the source and label batches it
 * read ({@code sourceBatches}), so that the chain reaches the raw data. {@code datasets} holds the datasets of every
 * batch named.
 */
public record Lineage(ModelVersionView modelVersion, TrainingRunView run, List<BatchView> batches,
                      List<DatasetView> datasets, TrainingSetView trainingSet, FeatureSetVersionView featureSetVersion,
                      List<BatchView> sourceBatches) {
}
