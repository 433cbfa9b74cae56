package io.annals.command.api.drift;

import io.annals.command.api.common.PageRequest;

/**
 * Drift alerts, newest first, optionally only those in one status and of one endpoint; answers a
 * {@code Page<DriftAlertView>}. As a subscription query, every alert as it is raised or changes.
 */
public record FindDriftAlerts(DriftAlertStatus status, String endpoint, PageRequest page) {
}
