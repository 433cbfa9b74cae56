package io.annals.command.api.pipeline;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Runs a failed run again from the step that failed (training, evaluation or deployment), on the same batches, held-out
 * batch and seed: the pipeline's latest run only, while no other run is under way.
 */
public record RetryPipelineRun(@TargetAggregateIdentifier PipelineName name, int run) {
}
