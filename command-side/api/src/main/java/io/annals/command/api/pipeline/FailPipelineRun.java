package io.annals.command.api.pipeline;

import io.annals.command.api.common.Ids;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A step of the run could not be done, for this reason: the run stops there (sent by the pipeline runner). */
public record FailPipelineRun(@TargetAggregateIdentifier PipelineName name, int run, String reason) {

    public FailPipelineRun {
        Ids.requireText("reason", reason);
    }
}
