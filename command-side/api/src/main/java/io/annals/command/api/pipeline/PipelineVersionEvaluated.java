package io.annals.command.api.pipeline;

import java.util.Map;

/** The candidate's or champion's metrics on the run's held-out batch. */
public record PipelineVersionEvaluated(PipelineName name, int run, PipelineRunState.Role role, int version,
                                       Map<String, Double> metrics) implements PipelineRunEvent {
}
