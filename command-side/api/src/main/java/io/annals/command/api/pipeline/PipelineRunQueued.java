package io.annals.command.api.pipeline;

/** A trigger kept for the next run, because a run is under way or the pipeline is paused. */
public record PipelineRunQueued(PipelineName name, PipelineCause cause) {
}
