package io.annals.command.api.pipeline;

import io.annals.command.api.common.Ids;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A drift alert was raised against the run's canary (sent by the runner); it fails a running observation. */
public record RecordPipelineDriftAlert(@TargetAggregateIdentifier PipelineName name, int run, String alert) {

    public RecordPipelineDriftAlert {
        Ids.requireText("alert", alert);
    }
}
