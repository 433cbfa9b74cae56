package io.annals.command.api.featureset;

import io.annals.command.api.common.Actor;
import java.time.Instant;

/** One version of a feature set: its definition, who registered it and when. */
public record FeatureSetVersionView(int version, FeatureSetDefinition definition, Instant registeredAt,
                                    Actor registeredBy) {
}
