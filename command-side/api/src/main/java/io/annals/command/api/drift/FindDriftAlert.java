package io.annals.command.api.drift;

/** The latest occurrence of a drift alert; answers an {@code Optional<DriftAlertView>}. */
public record FindDriftAlert(DriftAlertId alertId) {
}
