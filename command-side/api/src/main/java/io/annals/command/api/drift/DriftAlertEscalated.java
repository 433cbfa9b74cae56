package io.annals.command.api.drift;

import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.model.ModelName;

/** An open alert's window drifted further, past the critical threshold: the alert is now that severe. */
public record DriftAlertEscalated(DriftAlertId alertId, int occurrence, EndpointName endpoint, ModelName model,
                                  int version, DriftFinding finding) {
}
