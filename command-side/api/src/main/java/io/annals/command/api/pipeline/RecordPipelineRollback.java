package io.annals.command.api.pipeline;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * After a failed observation, the endpoint serves what it served before the canary again (as {@code revision}, null
 * when it did already) and the alias points at the champion again (sent by the runner). Ends the run.
 */
public record RecordPipelineRollback(@TargetAggregateIdentifier PipelineName name, int run, Integer revision) {
}
