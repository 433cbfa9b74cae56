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
    default List<BatchInput> currentBatches(DatasetName dataset) {
        return List.copyOf(pointedAt(dataset, List.of()).values());
    }

    /**
     * The batch each of these partitions points at now (every partition when none are named), by partition, in the
     * order the batches were ingested; a partition with no batch is left out. Empty for an unknown dataset.
     */
    java.util.Map<String, BatchInput> pointedAt(DatasetName dataset, java.util.Collection<String> partitions);
}
