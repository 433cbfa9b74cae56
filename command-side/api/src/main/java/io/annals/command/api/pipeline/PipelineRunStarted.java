package io.annals.command.api.pipeline;

import io.annals.command.api.model.ModelName;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.TrainingRunId;
import java.util.List;

/**
 * A run started: the definition version it follows, the model it trains, what caused it, the batches its inputs
 * pointed at (what it trains on; with a feature set, the label rows its training set is computed for), the held-out
 * batch (null without an evaluation), the seed, and the training run it asks for.
 *
 * @param featureSetVersion with a feature set, the version its training sets compute (pinned when the run started,
 *                          so a retry computes the same; 0 when the feature set had no such version then, and
 *                          the run failed at once); null without a feature set
 */
public record PipelineRunStarted(PipelineName name, int run, int version, ModelName model, List<PipelineCause> causes,
                                 List<BatchInput> batches, BatchInput heldOut, long seed,
                                 TrainingRunId trainingRun, Integer featureSetVersion) {

    /** A run on its inputs' batches as they are. */
    public PipelineRunStarted(PipelineName name, int run, int version, ModelName model, List<PipelineCause> causes,
                              List<BatchInput> batches, BatchInput heldOut, long seed, TrainingRunId trainingRun) {
        this(name, run, version, model, causes, batches, heldOut, seed, trainingRun, null);
    }
}
