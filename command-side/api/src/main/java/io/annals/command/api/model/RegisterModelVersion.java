package io.annals.command.api.model;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingRunId;
import java.util.List;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Registers the next version of a model from a completed run; registering the same run again is a no-op. */
public record RegisterModelVersion(@TargetAggregateIdentifier ModelName model, TrainingRunId runId, Task task,
                                   List<String> features, ArtifactRef artifact, Map<String, Double> metrics,
                                   ScoreBaseline baseline) {
}
