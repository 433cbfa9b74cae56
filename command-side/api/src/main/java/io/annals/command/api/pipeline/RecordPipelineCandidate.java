package io.annals.command.api.pipeline;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The pipeline run's training run became {@code version} of its model (sent by the pipeline runner). */
public record RecordPipelineCandidate(@TargetAggregateIdentifier PipelineName name, int run, int version) {
}
