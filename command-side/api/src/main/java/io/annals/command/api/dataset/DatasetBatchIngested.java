package io.annals.command.api.dataset;

import java.util.List;

/** A new immutable batch; its partition now points at it. */
public record DatasetBatchIngested(DatasetName dataset, BatchId batchId, String partition, String location,
                                   String sha256, long rows, long sizeBytes, List<ColumnStatistics> statistics) {
}
