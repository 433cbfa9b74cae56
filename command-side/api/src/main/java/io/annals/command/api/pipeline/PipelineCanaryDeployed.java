package io.annals.command.api.pipeline;

import java.time.Instant;

/** The candidate serves {@code percent} of the endpoint's requests as {@code revision}, watched until {@code observeUntil}. */
public record PipelineCanaryDeployed(PipelineName name, int run, int revision, int percent, Instant observeUntil) implements PipelineRunEvent {
}
