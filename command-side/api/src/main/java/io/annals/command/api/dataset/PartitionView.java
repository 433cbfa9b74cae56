package io.annals.command.api.dataset;

import java.time.Instant;

/** A partition of a dataset and the batch it points at since {@code since}. */
public record PartitionView(String partition, String batchId, Instant since) {
}
