package io.annals.command.api.drift;

import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.model.ModelName;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Raised by the drift monitor; while an alert of the same id is open, raising again changes nothing. */
public record RaiseDriftAlert(@TargetAggregateIdentifier DriftAlertId alertId, EndpointName endpoint,
                              ModelName model, int version, double psi, double threshold, int windowSize,
                              Instant windowEnd) {
}
