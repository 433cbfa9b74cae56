package io.annals.command.api.pipeline;

import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The candidate's or the champion's metrics on the run's held-out batch (sent by the pipeline runner). */
public record RecordPipelineEvaluation(@TargetAggregateIdentifier PipelineName name, int run,
                                       PipelineRunState.Role role, Map<String, Double> metrics) {

    public RecordPipelineEvaluation {
        metrics = Map.copyOf(metrics);
    }
}
