package io.annals.command.api.common;

import java.util.List;

/**
 * The reference profile of a model version's inputs: one {@link FeatureProfile} per feature, over {@code rows} rows
 * (the training split of a run, or the batch a version was evaluated on).
 */
public record InputProfile(long rows, List<FeatureProfile> features) {

    public InputProfile {
        features = List.copyOf(features);
    }

    public FeatureProfile feature(String name) {
        for (FeatureProfile f : features) {
            if (f.feature().equals(name)) {
                return f;
            }
        }
        return null;
    }
}
