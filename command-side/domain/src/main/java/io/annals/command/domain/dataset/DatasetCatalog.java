package io.annals.command.domain.dataset;

import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import java.util.List;
import java.util.Optional;

/** What other aggregates may ask about datasets while they handle a command; read from the event store. */
public interface DatasetCatalog {

    Optional<DatasetSchema> schema(DatasetName dataset);

    Optional<BatchInput> batch(BatchRef batch);

    /** The current batch of each partition, in the order they were ingested; empty for an unknown dataset. */
    List<BatchInput> currentBatches(DatasetName dataset);
}
