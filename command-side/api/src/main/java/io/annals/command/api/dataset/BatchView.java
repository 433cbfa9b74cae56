package io.annals.command.api.dataset;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.Positioned;
import java.time.Instant;
import java.util.List;

/** One immutable batch: where it is stored, its digest, its size and the statistics of each column. */
public record BatchView(String batchId, String dataset, String partition, String location, String sha256, long rows,
                        long sizeBytes, List<ColumnStatistics> statistics, Instant ingestedAt, Actor ingestedBy,
                        long position) implements Positioned {

    public BatchView {
        statistics = statistics == null ? List.of() : List.copyOf(statistics);
    }
}
