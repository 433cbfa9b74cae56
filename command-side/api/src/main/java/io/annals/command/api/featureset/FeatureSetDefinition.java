package io.annals.command.api.featureset;

import io.annals.command.api.common.Ids;
import io.annals.command.api.dataset.DatasetName;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What a feature set version computes: from the rows of {@code source}, for each entity (the values of
 * {@code entityKeys}) and each instant, the {@code features}; {@code timestampColumn} is the event time of a row.
 * Two definitions are the same version when they are equal; the description and owner are part of it.
 */
public record FeatureSetDefinition(String description, String owner, DatasetName source, List<String> entityKeys,
                                   String timestampColumn, List<FeatureSpec> features) {

    public static final int MAX_FEATURES = 200;

    public FeatureSetDefinition {
        Objects.requireNonNull(source, "the source dataset is required");
        Ids.requireText("owner", owner);
        description = description == null ? "" : description;
        if (entityKeys == null || entityKeys.isEmpty()) {
            throw new IllegalArgumentException("a feature set needs at least one entity key column");
        }
        if (new HashSet<>(entityKeys).size() != entityKeys.size()) {
            throw new IllegalArgumentException("entity key columns " + entityKeys + " name a column twice");
        }
        Ids.requireText("timestamp column", timestampColumn);
        if (entityKeys.contains(timestampColumn)) {
            throw new IllegalArgumentException("the timestamp column '" + timestampColumn
                    + "' cannot also be an entity key");
        }
        if (features == null || features.isEmpty()) {
            throw new IllegalArgumentException("a feature set needs at least one feature");
        }
        if (features.size() > MAX_FEATURES) {
            throw new IllegalArgumentException("a feature set has at most " + MAX_FEATURES + " features, not "
                    + features.size());
        }
        var names = new HashSet<String>();
        for (FeatureSpec f : features) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("feature '" + f.name() + "' is defined twice");
            }
        }
        entityKeys = List.copyOf(entityKeys);
        features = List.copyOf(features);
    }
}
