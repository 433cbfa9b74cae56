package io.annals.command.api.pipeline;

public record PipelinePaused(PipelineName name, String reason) {
}
