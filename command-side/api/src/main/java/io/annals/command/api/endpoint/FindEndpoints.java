package io.annals.command.api.endpoint;

public record FindEndpoints() {
}
