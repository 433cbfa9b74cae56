package io.annals.command.api.pipeline;

import io.annals.command.api.trainingset.TrainingSetId;
import io.annals.command.api.trainingset.TrainingSetOutput;

/**
 * A training set the run asked for is materialised: the one it trains on ({@code TRAINING}) or the one both versions
 * are evaluated on ({@code HELD_OUT}), and the batch it became.
 */
public record PipelineTrainingSetReady(PipelineName name, int run, PipelineRunState.Purpose purpose, TrainingSetId id,
                                       TrainingSetOutput output) implements PipelineRunEvent {
}
