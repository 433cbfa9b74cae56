package io.annals.command.domain.featureset;

import io.annals.command.api.featureset.FeatureSetDefinition;
import io.annals.command.api.featureset.FeatureSetName;
import java.util.Optional;

/** The definition of a feature set version, as the command side knows it now. */
public interface FeatureSetCatalog {

    Optional<FeatureSetDefinition> version(FeatureSetName name, int version);

    /** The number of the feature set's latest version; empty for an unknown feature set. */
    Optional<Integer> latest(FeatureSetName name);
}
