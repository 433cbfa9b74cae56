package io.annals.command.api.featureset;

import java.time.Instant;
import java.util.Objects;

/** A feature set with its versions; with {@code asOf}, only the versions registered by that instant. */
public record FindFeatureSet(FeatureSetName name, Instant asOf) {

    public FindFeatureSet {
        Objects.requireNonNull(name, "feature set name is required");
    }
}
