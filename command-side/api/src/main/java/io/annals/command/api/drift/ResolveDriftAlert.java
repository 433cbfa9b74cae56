package io.annals.command.api.drift;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ResolveDriftAlert(@TargetAggregateIdentifier DriftAlertId alertId, String note) {
}
