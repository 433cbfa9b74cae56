package io.annals.command.api.pipeline;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The promoted candidate is where the definition says: the alias points at it and, with an endpoint, the endpoint's
 * {@code revision} serves it (sent by the pipeline runner). Ends the run.
 */
public record RecordPipelinePromotion(@TargetAggregateIdentifier PipelineName name, int run, Integer revision) {
}
