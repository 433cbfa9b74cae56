package io.annals.command.api.pipeline;

/**
 * A run ended: its candidate was promoted (with the endpoint revision that serves it, when there is an endpoint),
 * refused by the gate, or a step failed ({@code step} and {@code reason} say which and why).
 */
public record PipelineRunFinished(PipelineName name, int run, PipelineRunState.Outcome outcome,
                                  PipelineRunState.Step step, String reason, Integer revision) implements PipelineRunEvent {
}
