package io.annals.command.domain.pipeline;

import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.featureset.FeatureSetDefinition;
import io.annals.command.api.featureset.FeatureSpec;
import io.annals.command.api.pipeline.PipelineDefinition;
import io.annals.command.domain.dataset.DatasetCatalog;
import io.annals.command.domain.featureset.FeatureSetCatalog;
import io.annals.command.domain.trainingset.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * What a pipeline reads its inputs from: the datasets (their schemas and the batches their partitions point at) and
 * the feature sets. It checks a definition against them when it is registered.
 */
@Component
public record PipelineSources(DatasetCatalog datasets, FeatureSetCatalog featureSets) {

    /** Refuses a definition whose columns, feature set or labels do not fit the data as it is now. */
    void check(PipelineDefinition definition) {
        PipelineDefinition.FeatureInput features = definition.featureSet();
        if (features == null) {
            for (PipelineDefinition.Input input : definition.inputs()) {
                requireColumns(input.dataset(), definition);
            }
            if (definition.evaluation() != null) {
                requireColumns(definition.evaluation().dataset(), definition);
            }
            return;
        }
        int version = featureSetVersion(definition).orElseThrow(() -> new IllegalArgumentException(
                features.version() == null ? "feature set '" + features.featureSet() + "' does not exist"
                        : "feature set '" + features.featureSet() + "' has no version " + features.version()));
        FeatureSetDefinition featureSet = featureSets.version(features.featureSet(), version).orElseThrow();
        List<String> computed = featureSet.features().stream().map(FeatureSpec::name).toList();
        List<String> unknown = definition.training().features().stream().filter(f -> !computed.contains(f)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("feature set '" + features.featureSet() + "' version " + version
                    + " computes no feature" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " (its features: " + String.join(", ", computed) + ")");
        }
        DatasetSchema source = schema(featureSet.source());
        DatasetName labels = definition.inputs().get(0).dataset();
        DatasetSchema output = TrainingSet.outputSchema(features.featureSet(), version, featureSet, source, labels,
                schema(labels), features.entityKeys(), features.timestampColumn(), definition.training().label());
        datasets.schema(features.output()).filter(existing -> !existing.equals(output)).ifPresent(existing -> {
            throw new IllegalArgumentException("dataset '" + features.output() + "' exists with other columns "
                    + existing.columns().stream().map(ColumnSpec::name).toList() + " than this pipeline's training "
                    + "sets would write " + output.columns().stream().map(ColumnSpec::name).toList()
                    + ": name another dataset for them (featureSet.output)");
        });
    }

    /** The feature set version a run starting now computes: the definition's, or the latest. */
    java.util.Optional<Integer> featureSetVersion(PipelineDefinition definition) {
        PipelineDefinition.FeatureInput features = definition.featureSet();
        if (features == null) {
            return java.util.Optional.empty();
        }
        if (features.version() == null) {
            return featureSets.latest(features.featureSet());
        }
        return featureSets.version(features.featureSet(), features.version()).map(d -> features.version());
    }

    private DatasetSchema schema(DatasetName dataset) {
        return datasets.schema(dataset).orElseThrow(() -> new IllegalArgumentException(
                "dataset '" + dataset + "' does not exist"));
    }

    private void requireColumns(DatasetName dataset, PipelineDefinition definition) {
        List<String> columns = schema(dataset).columns().stream().map(ColumnSpec::name).toList();
        List<String> needed = new ArrayList<>(definition.training().features());
        needed.add(definition.training().label());
        List<String> missing = needed.stream().filter(c -> !columns.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + dataset + "' has no column" + (missing.size() > 1 ? "s "
                    : " ") + String.join(", ", missing) + " (its columns: " + String.join(", ", columns) + ")");
        }
    }
}
