package io.annals.command.api.endpoint;

/** An endpoint that opted in to automatic rollback did not roll back for an alert, and why. */
public record AutomaticRollbackDeclined(EndpointName endpoint, String alert, String reason) {
}
