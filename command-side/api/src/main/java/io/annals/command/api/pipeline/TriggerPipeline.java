package io.annals.command.api.pipeline;

import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Starts a run now, or queues the cause for the next run when one is under way or the pipeline is paused (several
 * queued causes start one run). Returns the number of the run it started, or null when it queued.
 */
public record TriggerPipeline(@TargetAggregateIdentifier PipelineName name, PipelineCause cause) {

    public TriggerPipeline {
        Objects.requireNonNull(cause, "a trigger needs a cause");
    }
}
