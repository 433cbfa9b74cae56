package io.annals.command.api.endpoint;

import io.annals.command.api.common.Positioned;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An endpoint: what it serves now, every revision it had, and its drift settings. {@code servedVersions} lists
 * every model version ({@code model#version}) that any revision served, so "which endpoints served this version"
 * is one lookup. {@code shadowComparisons} sums up, per shadow version and the version it shadowed, every window
 * of their scores compared.
 */
public record EndpointView(String name, int currentRevision, List<TargetView> targets, List<RevisionView> revisions,
                           List<String> servedVersions, DriftMonitorSettings driftMonitor, Instant createdAt,
                           Instant updatedAt, List<ShadowSummary> shadowComparisons, RolloutPolicy rolloutPolicy,
                           long position)
        implements Positioned {

    public EndpointView {
        targets = List.copyOf(targets);
        revisions = List.copyOf(revisions);
        servedVersions = List.copyOf(servedVersions);
        shadowComparisons = shadowComparisons == null ? List.of() : List.copyOf(shadowComparisons);
    }

    public static EndpointView created(String name, Instant at) {
        return new EndpointView(name, 0, List.of(), List.of(), List.of(), null, at, at, List.of(), null, -1);
    }

    /** A revision recorded again (a retried batch) replaces the one with the same number. */
    public EndpointView withRevision(RevisionView revision, long position) {
        List<RevisionView> next = new ArrayList<>(revisions);
        next.removeIf(r -> r.revision() == revision.revision());
        next.add(revision);
        next.sort(Comparator.comparingInt(RevisionView::revision));
        List<String> served = new ArrayList<>(servedVersions);
        revision.targets().stream().map(t -> t.ref().toString()).filter(ref -> !served.contains(ref))
                .forEach(served::add);
        return new EndpointView(name, revision.revision(), revision.targets(), next, served, driftMonitor, createdAt,
                revision.at(), shadowComparisons, rolloutPolicy, position);
    }

    public EndpointView withDriftMonitor(DriftMonitorSettings settings, Instant at, long position) {
        return new EndpointView(name, currentRevision, targets, revisions, servedVersions, settings, createdAt, at,
                shadowComparisons, rolloutPolicy, position);
    }

    public EndpointView withRolloutPolicy(RolloutPolicy policy, long position) {
        return new EndpointView(name, currentRevision, targets, revisions, servedVersions, driftMonitor, createdAt,
                policy.since(), shadowComparisons, policy, position);
    }

    /** The endpoint with one more window of shadow scores compared, added to the summary of its two versions. */
    public EndpointView withShadowComparison(ShadowComparison window, long position) {
        List<ShadowSummary> next = new ArrayList<>();
        boolean added = false;
        for (ShadowSummary summary : shadowComparisons) {
            if (summary.covers(window)) {
                next.add(summary.plus(window));
                added = true;
            } else {
                next.add(summary);
            }
        }
        if (!added) {
            next.add(ShadowSummary.of(window));
        }
        return new EndpointView(name, currentRevision, targets, revisions, servedVersions, driftMonitor, createdAt,
                updatedAt, next, rolloutPolicy, position);
    }
}
