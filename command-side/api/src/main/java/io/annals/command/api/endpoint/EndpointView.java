package io.annals.command.api.endpoint;

import io.annals.command.api.common.Positioned;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An endpoint: what it serves now, every revision it had, and its drift settings. {@code servedVersions} lists
 * every model version ({@code model#version}) that any revision served, so "which endpoints served this version"
 * is one lookup.
 */
public record EndpointView(String name, int currentRevision, List<TargetView> targets, List<RevisionView> revisions,
                           List<String> servedVersions, DriftMonitorSettings driftMonitor, Instant createdAt,
                           Instant updatedAt, long position) implements Positioned {

    public EndpointView {
        targets = List.copyOf(targets);
        revisions = List.copyOf(revisions);
        servedVersions = List.copyOf(servedVersions);
    }

    public static EndpointView created(String name, Instant at) {
        return new EndpointView(name, 0, List.of(), List.of(), List.of(), null, at, at, -1);
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
                revision.at(), position);
    }

    public EndpointView withDriftMonitor(DriftMonitorSettings settings, Instant at, long position) {
        return new EndpointView(name, currentRevision, targets, revisions, servedVersions, settings, createdAt, at,
                position);
    }
}
