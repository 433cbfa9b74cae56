package io.annals.command.api.endpoint;

public record RolloutPolicyConfigured(EndpointName endpoint, boolean rollBackOnDrift, Double minPsi) {
}
