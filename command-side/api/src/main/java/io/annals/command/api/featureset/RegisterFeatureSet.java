package io.annals.command.api.featureset;

import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Registers a feature set's definition: the first one becomes version 1; a changed one the next version; the same
 * one again changes nothing.
 */
public record RegisterFeatureSet(@TargetAggregateIdentifier FeatureSetName name, FeatureSetDefinition definition) {

    public RegisterFeatureSet {
        Objects.requireNonNull(name, "feature set name is required");
        Objects.requireNonNull(definition, "a definition is required");
    }
}
