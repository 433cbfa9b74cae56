package io.annals.command.api.trainingset;

import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;

/** The batch a training set became: where it is, its digest, its rows. */
public record TrainingSetOutput(DatasetName dataset, BatchId batchId, String location, String sha256, long rows,
                                long sizeBytes) {
}
