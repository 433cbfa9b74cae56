package io.annals.command.api.endpoint;

/** How an endpoint's scores are watched for drift. */
public record DriftMonitorSettings(double psiThreshold, int windowSize) {
}
