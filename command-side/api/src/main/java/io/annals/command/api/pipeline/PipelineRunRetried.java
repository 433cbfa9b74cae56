package io.annals.command.api.pipeline;

/** A failed run goes on again from {@code step}, as attempt {@code attempt} (its requests get ids of their own). */
public record PipelineRunRetried(PipelineName name, int run, PipelineRunState.Step step, int attempt) implements PipelineRunEvent {
}
