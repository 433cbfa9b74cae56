package io.annals.command.api.pipeline;

import io.annals.command.api.common.Ids;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stops starting runs: triggers are kept and start one run on resume; a run under way finishes. */
public record PausePipeline(@TargetAggregateIdentifier PipelineName name, String reason) {

    public PausePipeline {
        Ids.requireText("reason", reason);
    }
}
