package io.annals.command.api.pipeline;

import io.annals.command.api.model.ModelName;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.TrainingRunId;
import java.util.List;

/**
 * A run started: the definition version it follows, the model it trains, what caused it, the batches its inputs pointed at (what it
 * trains on), the held-out batch (null without an evaluation), the seed, and the training run it asks for.
 */
public record PipelineRunStarted(PipelineName name, int run, int version, ModelName model, List<PipelineCause> causes,
                                 List<BatchInput> batches, BatchInput heldOut, long seed,
                                 TrainingRunId trainingRun) {
}
