package io.annals.command.api.featureset;

/** A new, immutable version of a feature set's definition. */
public record FeatureSetVersionRegistered(FeatureSetName name, int version, FeatureSetDefinition definition) {
}
