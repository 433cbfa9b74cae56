package io.annals.command.api.pipeline;

import java.util.List;

/** The gate's decision on the run's candidate, with every rule's numbers. */
public record PipelineGateDecided(PipelineName name, int run, boolean passed, int candidate, Integer champion,
                                  List<GateRule.Check> checks) implements PipelineRunEvent {
}
