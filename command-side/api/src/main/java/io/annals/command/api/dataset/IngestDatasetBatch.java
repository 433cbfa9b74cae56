package io.annals.command.api.dataset;

import io.annals.command.api.common.Ids;
import java.util.List;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records a batch whose bytes are already stored, write-once, at {@code location}. The columns of
 * {@code statistics} must be the dataset's columns in schema order.
 */
public record IngestDatasetBatch(@TargetAggregateIdentifier DatasetName dataset, BatchId batchId, String partition,
                                 String location, String sha256, long rows, long sizeBytes,
                                 List<ColumnStatistics> statistics) {

    public IngestDatasetBatch {
        Objects.requireNonNull(dataset, "dataset is required");
        Objects.requireNonNull(batchId, "batch id is required");
        Ids.requireText("partition", partition);
        Ids.requireText("location", location);
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        }
        statistics = List.copyOf(statistics);
    }
}
