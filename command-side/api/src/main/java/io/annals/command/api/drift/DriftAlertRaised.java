package io.annals.command.api.drift;

import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.model.ModelName;
import java.time.Instant;

/**
 * {@code occurrence} counts the alerts of this stream: 1 for the first, 2 after the first was resolved, …
 * {@code finding} is null in events recorded before feature drift: those are the score's PSI, a warning.
 */
public record DriftAlertRaised(DriftAlertId alertId, int occurrence, EndpointName endpoint, ModelName model,
                               int version, double psi, double threshold, int windowSize, Instant windowEnd,
                               DriftFinding finding) {

    public DriftAlertRaised(DriftAlertId alertId, int occurrence, EndpointName endpoint, ModelName model, int version,
                            double psi, double threshold, int windowSize, Instant windowEnd) {
        this(alertId, occurrence, endpoint, model, version, psi, threshold, windowSize, windowEnd, null);
    }

    public DriftSeverity severity() {
        return finding == null ? DriftSeverity.WARNING : finding.severity();
    }

    /** The drifted feature, or null for the score. */
    public String feature() {
        return finding == null ? null : finding.feature();
    }
}
