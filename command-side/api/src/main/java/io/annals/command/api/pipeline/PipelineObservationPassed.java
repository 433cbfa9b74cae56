package io.annals.command.api.pipeline;

/** The canary's observation ended without a drift alert against it: it is to serve every request. */
public record PipelineObservationPassed(PipelineName name, int run) implements PipelineRunEvent {
}
