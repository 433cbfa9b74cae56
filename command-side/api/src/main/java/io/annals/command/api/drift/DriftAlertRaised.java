package io.annals.command.api.drift;

import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.model.ModelName;
import java.time.Instant;

/** {@code occurrence} counts the alerts of this stream: 1 for the first, 2 after the first was resolved, … */
public record DriftAlertRaised(DriftAlertId alertId, int occurrence, EndpointName endpoint, ModelName model,
                               int version, double psi, double threshold, int windowSize, Instant windowEnd) {
}
