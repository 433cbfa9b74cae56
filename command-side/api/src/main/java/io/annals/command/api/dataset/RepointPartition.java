package io.annals.command.api.dataset;

import io.annals.command.api.common.Ids;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Points a partition back at an earlier batch of that partition (Stitch Fix's batch-id rollback): the batches
 * themselves stay as they are, immutable; only which one the partition means changes, with who did it and why.
 */
public record RepointPartition(@TargetAggregateIdentifier DatasetName dataset, String partition, BatchId batchId,
                               String reason) {

    public RepointPartition {
        Objects.requireNonNull(dataset, "dataset is required");
        Ids.requireText("partition", partition);
        Objects.requireNonNull(batchId, "batch id is required");
        Ids.requireText("reason", reason);
    }
}
