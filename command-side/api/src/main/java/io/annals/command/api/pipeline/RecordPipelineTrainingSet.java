package io.annals.command.api.pipeline;

import io.annals.command.api.trainingset.TrainingSetId;
import io.annals.command.api.trainingset.TrainingSetOutput;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A training set the run asked for is materialised (sent by the pipeline runner). */
public record RecordPipelineTrainingSet(@TargetAggregateIdentifier PipelineName name, int run,
                                        PipelineRunState.Purpose purpose, TrainingSetId id,
                                        TrainingSetOutput output) {
}
