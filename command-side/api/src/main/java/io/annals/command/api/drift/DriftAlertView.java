package io.annals.command.api.drift;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.Positioned;
import java.time.Instant;

/**
 * One occurrence of a drift alert ({@code id} is {@code alertId#occurrence}): what drifted ({@code feature}, null for
 * the score), by which test and how far ({@code finding}, the latest: an escalation replaces the first; null for
 * alerts recorded before feature drift), how severe, and who acknowledged and resolved it.
 */
public record DriftAlertView(String id, String alertId, int occurrence, String endpoint, String model, int version,
                             double psi, double threshold, int windowSize, Instant windowEnd, DriftAlertStatus status,
                             Instant raisedAt, Actor raisedBy, Instant acknowledgedAt, Actor acknowledgedBy,
                             Instant resolvedAt, Actor resolvedBy, String note, long position, String feature,
                             DriftSeverity severity, DriftFinding finding, Instant escalatedAt)
        implements Positioned {

    public static String id(DriftAlertId alertId, int occurrence) {
        return alertId.value() + "#" + occurrence;
    }

    public static DriftAlertView raised(DriftAlertRaised e, Instant at, Actor actor, long position) {
        return new DriftAlertView(id(e.alertId(), e.occurrence()), e.alertId().value(), e.occurrence(),
                e.endpoint().value(), e.model().value(), e.version(), e.psi(), e.threshold(), e.windowSize(),
                e.windowEnd(), DriftAlertStatus.OPEN, at, actor, null, null, null, null, null, position, e.feature(),
                e.severity(), e.finding(), null);
    }

    public DriftAlertView escalated(DriftFinding worse, Instant at, long atPosition) {
        return new DriftAlertView(id, alertId, occurrence, endpoint, model, version, worse.psi(), worse.threshold(),
                worse.windowRows(), worse.windowEnd(), status, raisedAt, raisedBy, acknowledgedAt, acknowledgedBy,
                resolvedAt, resolvedBy, note, atPosition, feature, worse.severity(), worse, at);
    }

    public DriftAlertView acknowledged(Instant at, Actor actor, String withNote, long position) {
        return new DriftAlertView(id, alertId, occurrence, endpoint, model, version, psi, threshold, windowSize,
                windowEnd, DriftAlertStatus.ACKNOWLEDGED, raisedAt, raisedBy, at, actor, resolvedAt, resolvedBy,
                withNote, position, feature, severity, finding, escalatedAt);
    }

    public DriftAlertView resolved(Instant at, Actor actor, String withNote, long position) {
        return new DriftAlertView(id, alertId, occurrence, endpoint, model, version, psi, threshold, windowSize,
                windowEnd, DriftAlertStatus.RESOLVED, raisedAt, raisedBy, acknowledgedAt, acknowledgedBy, at, actor,
                withNote, position, feature, severity, finding, escalatedAt);
    }
}
