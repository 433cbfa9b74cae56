package io.annals.command.api.drift;

public record DriftAlertAcknowledged(DriftAlertId alertId, int occurrence, String note) {
}
