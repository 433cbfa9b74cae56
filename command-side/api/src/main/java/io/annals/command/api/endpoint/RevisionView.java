package io.annals.command.api.endpoint;

import io.annals.command.api.common.Actor;
import java.time.Instant;
import java.util.List;

/**
 * One revision of an endpoint: what it served, who made it, when and why. A rollback names the revision it replaced
 * ({@code fromRevision}) and the one whose targets it restored.
 */
public record RevisionView(int revision, RevisionKind kind, List<TargetView> targets, String reason,
                           Integer fromRevision, Integer restoredRevision, Instant at, Actor by) {

    public RevisionView {
        targets = List.copyOf(targets);
    }
}
