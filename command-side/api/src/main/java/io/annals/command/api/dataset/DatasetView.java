package io.annals.command.api.dataset;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.Positioned;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A dataset as the read side knows it: its schema and which batch each partition points at. */
public record DatasetView(String name, String description, List<ColumnSpec> schema, List<PartitionView> partitions,
                          long batchCount, Instant registeredAt, Actor registeredBy, long position)
        implements Positioned {

    public DatasetView {
        schema = List.copyOf(schema);
        partitions = List.copyOf(partitions);
    }

    /** A partition re-pointed at a newly ingested batch. */
    public DatasetView withBatch(PartitionView partition, long position) {
        List<PartitionView> next = new ArrayList<>(partitions);
        next.removeIf(p -> p.partition().equals(partition.partition()));
        next.add(partition);
        return new DatasetView(name, description, schema, next, batchCount + 1, registeredAt, registeredBy, position);
    }
}
