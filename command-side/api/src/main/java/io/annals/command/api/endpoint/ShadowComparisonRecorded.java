package io.annals.command.api.endpoint;

/** One window of a shadow version's scores compared with the answering version's. */
public record ShadowComparisonRecorded(EndpointName endpoint, String windowId, ShadowComparison comparison) {
}
