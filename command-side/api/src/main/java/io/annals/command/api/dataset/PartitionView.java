package io.annals.command.api.dataset;

import java.time.Instant;

/**
 * A partition of a dataset and the batch it points at since {@code since}: the last batch ingested into it, or, when
 * {@code reason} is given, a batch it was re-pointed at ({@code repointPartition}) for that reason.
 */
public record PartitionView(String partition, String batchId, Instant since, String reason) {

    /** A partition pointing at the batch just ingested into it. */
    public PartitionView(String partition, String batchId, Instant since) {
        this(partition, batchId, since, null);
    }
}
