package io.annals.command.api.drift;

import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.model.ModelName;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Raised by the drift monitor; while an alert of the same id is open, raising again changes nothing, unless the new
 * finding is more severe (then the open alert is escalated). {@code finding} says what moved, by which test and how
 * far; it is null only in commands of monitors older than feature drift (the score's PSI alone).
 */
public record RaiseDriftAlert(@TargetAggregateIdentifier DriftAlertId alertId, EndpointName endpoint,
                              ModelName model, int version, double psi, double threshold, int windowSize,
                              Instant windowEnd, DriftFinding finding) {

    public RaiseDriftAlert(DriftAlertId alertId, EndpointName endpoint, ModelName model, int version, double psi,
                           double threshold, int windowSize, Instant windowEnd) {
        this(alertId, endpoint, model, version, psi, threshold, windowSize, windowEnd, null);
    }

    /** The alert of a finding: the score's or one feature's stream of the endpoint and version. */
    public static RaiseDriftAlert of(EndpointName endpoint, ModelName model, int version, DriftFinding finding) {
        return new RaiseDriftAlert(DriftAlertId.forTarget(endpoint, model, version, finding.feature()), endpoint,
                model, version, finding.psi(), finding.threshold(), finding.windowRows(), finding.windowEnd(),
                finding);
    }

    /** The severity of this alert: a command without a finding is a warning. */
    public DriftSeverity severity() {
        return finding == null ? DriftSeverity.WARNING : finding.severity();
    }
}
