package io.annals.command.api.drift;

/**
 * Drift alerts, newest first, optionally only those in one status (OPEN, ACKNOWLEDGED, RESOLVED). As a
 * subscription query, every alert as it is raised or changes.
 */
public record FindDriftAlerts(String status) {
}
