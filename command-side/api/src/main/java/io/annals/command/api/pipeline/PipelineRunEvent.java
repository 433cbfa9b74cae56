package io.annals.command.api.pipeline;

/** An event about one run of a pipeline: its number among the pipeline's runs. */
public interface PipelineRunEvent {

    PipelineName name();

    int run();
}
