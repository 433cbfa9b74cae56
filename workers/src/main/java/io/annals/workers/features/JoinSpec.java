package io.annals.workers.features;

import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.featureset.FeatureSpec;
import java.util.List;

/**
 * What a point-in-time join reads and writes: the source dataset's schema, its entity key columns and event time
 * column, the features; the label dataset's schema, its key columns (matched to the source's by position), its time
 * and label columns; and the output schema (label keys, label time, label, then one column per feature).
 */
public record JoinSpec(DatasetSchema sourceSchema, List<String> sourceKeys, String sourceTime,
                       List<FeatureSpec> features, DatasetSchema labelSchema, List<String> labelKeys,
                       String labelTime, String labelColumn, DatasetSchema outputSchema) {

    public JoinSpec {
        if (sourceKeys.size() != labelKeys.size()) {
            throw new IllegalArgumentException("the labels have " + labelKeys.size() + " key columns, the source "
                    + sourceKeys.size());
        }
        sourceKeys = List.copyOf(sourceKeys);
        features = List.copyOf(features);
        labelKeys = List.copyOf(labelKeys);
    }

    ColumnType sourceType(String column) {
        return sourceSchema.column(column).map(ColumnSpec::type).orElseThrow(() ->
                new IllegalArgumentException("column '" + column + "' is not in the source schema"));
    }

    ColumnType labelType(String column) {
        return labelSchema.column(column).map(ColumnSpec::type).orElseThrow(() ->
                new IllegalArgumentException("column '" + column + "' is not in the label schema"));
    }
}
