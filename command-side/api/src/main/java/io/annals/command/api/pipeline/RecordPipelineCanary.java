package io.annals.command.api.pipeline;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The candidate serves the definition's canary share as the endpoint's {@code revision} (sent by the runner). */
public record RecordPipelineCanary(@TargetAggregateIdentifier PipelineName name, int run, int revision) {
}
