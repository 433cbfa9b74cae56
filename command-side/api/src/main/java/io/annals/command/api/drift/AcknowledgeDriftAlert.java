package io.annals.command.api.drift;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record AcknowledgeDriftAlert(@TargetAggregateIdentifier DriftAlertId alertId, String note) {
}
