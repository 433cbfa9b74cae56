package io.annals.command.api.trainingrun;

import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;
import java.util.Objects;

public record BatchRef(DatasetName dataset, BatchId batchId) {

    public BatchRef {
        Objects.requireNonNull(dataset, "batch reference needs a dataset");
        Objects.requireNonNull(batchId, "batch reference needs a batch id");
    }
}
