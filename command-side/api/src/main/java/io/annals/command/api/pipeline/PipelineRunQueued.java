package io.annals.command.api.pipeline;

import java.time.Instant;

/**
 * A trigger kept for the next run: a run is under way, the pipeline is paused, or (with {@code startAfter}) a batch
 * waits for its quiet period to pass without another batch, after which the kept causes start one run.
 */
public record PipelineRunQueued(PipelineName name, PipelineCause cause, Instant startAfter) {

    public PipelineRunQueued(PipelineName name, PipelineCause cause) {
        this(name, cause, null);
    }
}
