package io.annals.command.api.trainingset;

import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.featureset.FeatureSetDefinition;
import io.annals.command.api.featureset.FeatureSetName;
import io.annals.command.api.trainingrun.BatchInput;
import java.util.List;

/**
 * A training set to materialise, with everything it will read pinned: the feature set version's definition and the
 * source dataset's schema, the source batches current in each partition when it was asked for (in the order they
 * were ingested, ids and SHA-256), the label batches, and the schema of the rows it will write to {@code output}.
 */
public record TrainingSetRequested(TrainingSetId id, FeatureSetName featureSet, int version,
                                   FeatureSetDefinition definition, DatasetSchema sourceSchema,
                                   List<BatchInput> sources, LabelSpec labels, DatasetSchema labelSchema,
                                   List<BatchInput> labelBatches, DatasetName output, DatasetSchema outputSchema) {
}
