package io.annals.command.api.drift;

/** An open alert's window drifted further, past the critical threshold: the alert is now that severe. */
public record DriftAlertEscalated(DriftAlertId alertId, int occurrence, DriftFinding finding) {
}
