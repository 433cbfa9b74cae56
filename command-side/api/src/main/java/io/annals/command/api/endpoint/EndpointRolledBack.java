package io.annals.command.api.endpoint;

import java.util.List;

/** Revision {@code newRevision} restores the targets of {@code restoredRevision}, replacing {@code fromRevision}. */
public record EndpointRolledBack(EndpointName endpoint, int fromRevision, int restoredRevision, int newRevision,
                                 List<ServingTarget> targets, String reason) {
}
