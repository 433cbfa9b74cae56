package io.annals.command.api.drift;

public record DriftAlertResolved(DriftAlertId alertId, int occurrence, String note) {
}
