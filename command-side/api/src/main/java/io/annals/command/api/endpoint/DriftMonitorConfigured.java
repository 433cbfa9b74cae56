package io.annals.command.api.endpoint;

public record DriftMonitorConfigured(EndpointName endpoint, double psiThreshold, int windowSize) {
}
