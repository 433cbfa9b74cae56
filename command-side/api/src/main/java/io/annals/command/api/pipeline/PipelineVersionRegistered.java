package io.annals.command.api.pipeline;

/** A new version of a pipeline's definition; runs started from now on follow it. */
public record PipelineVersionRegistered(PipelineName name, int version, PipelineDefinition definition) {
}
