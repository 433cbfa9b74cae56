package io.annals.command.api.pipeline;

public record PipelineResumed(PipelineName name) {
}
