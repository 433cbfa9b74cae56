package io.annals.command.api.endpoint;

import io.annals.command.api.common.Ids;
import io.annals.command.api.drift.DriftTest;

/**
 * How one input feature of an endpoint is tested for drift. Every part is optional: without a {@code test}, the
 * default for the feature's type and reference size (as Evidently chooses); without a {@code threshold}, the test's
 * default; without a {@code criticalThreshold}, the test's default critical threshold. {@code enabled: false} stops
 * watching the feature.
 */
public record FeatureDriftRule(String feature, DriftTest test, Double threshold, Double criticalThreshold,
                               boolean enabled) {

    public FeatureDriftRule {
        Ids.requireText("feature", feature);
        if (test == DriftTest.ERROR_RATE) {
            throw new IllegalArgumentException("feature '" + feature + "': ERROR_RATE is not a test of a feature; "
                    + "the endpoint's error rate is watched with maxErrorRate");
        }
        if (test != null && threshold != null) {
            test.requireThreshold("the threshold for feature '" + feature + "'", threshold);
        }
        if (test != null && criticalThreshold != null) {
            test.requireThreshold("the critical threshold for feature '" + feature + "'", criticalThreshold);
        }
        if (threshold != null && criticalThreshold != null && test != null
                && !test.passed(criticalThreshold, threshold) && !criticalThreshold.equals(threshold)) {
            throw new IllegalArgumentException("feature '" + feature + "': the critical threshold " + criticalThreshold
                    + " must be beyond the threshold " + threshold + " for " + test.name());
        }
        if (test == null && (threshold != null || criticalThreshold != null)) {
            throw new IllegalArgumentException("feature '" + feature + "': a threshold needs its test (a p-value and "
                    + "a distance do not read alike)");
        }
    }
}
