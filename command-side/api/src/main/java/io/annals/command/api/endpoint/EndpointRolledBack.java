package io.annals.command.api.endpoint;

import java.util.List;

/**
 * Revision {@code newRevision} restores the targets of {@code restoredRevision}, replacing {@code fromRevision}.
 * {@code cause}: the drift alert ({@code <alert id>#<occurrence>}) of an automatic rollback; null for a person's.
 */
public record EndpointRolledBack(EndpointName endpoint, int fromRevision, int restoredRevision, int newRevision,
                                 List<ServingTarget> targets, String reason, String cause) {

    public EndpointRolledBack(EndpointName endpoint, int fromRevision, int restoredRevision, int newRevision,
                              List<ServingTarget> targets, String reason) {
        this(endpoint, fromRevision, restoredRevision, newRevision, targets, reason, null);
    }
}
