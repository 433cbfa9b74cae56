package io.annals.command.api.endpoint;

/** An endpoint with its revision history. */
public record FindEndpoint(EndpointName name) {
}
