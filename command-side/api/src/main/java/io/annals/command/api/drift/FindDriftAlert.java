package io.annals.command.api.drift;

/**
 * One drift alert: the given occurrence, or without one the latest; answers an {@code Optional<DriftAlertView>}.
 */
public record FindDriftAlert(DriftAlertId alertId, Integer occurrence) {

    public FindDriftAlert(DriftAlertId alertId) {
        this(alertId, null);
    }
}
