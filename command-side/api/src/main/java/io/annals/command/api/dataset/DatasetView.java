package io.annals.command.api.dataset;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.Positioned;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A dataset as the read side knows it: its schema, which batch each partition points at, and every re-point of a
 * partition (oldest first), so that the map can be told as it was at any instant.
 */
public record DatasetView(String name, String description, List<ColumnSpec> schema, List<PartitionView> partitions,
                          long batchCount, Instant registeredAt, Actor registeredBy, long position,
                          List<RepointView> repoints) implements Positioned {

    public DatasetView {
        schema = List.copyOf(schema);
        partitions = List.copyOf(partitions);
        repoints = repoints == null ? List.of() : List.copyOf(repoints); // documents written before re-points existed
    }

    public DatasetView(String name, String description, List<ColumnSpec> schema, List<PartitionView> partitions,
                       long batchCount, Instant registeredAt, Actor registeredBy, long position) {
        this(name, description, schema, partitions, batchCount, registeredAt, registeredBy, position, List.of());
    }

    /** A partition pointed at a newly ingested batch. */
    public DatasetView withBatch(PartitionView partition, long position) {
        return new DatasetView(name, description, schema, pointed(partition), batchCount + 1, registeredAt,
                registeredBy, position, repoints);
    }

    /** A partition re-pointed at one of its batches. */
    public DatasetView withRepoint(RepointView repoint) {
        List<RepointView> all = new ArrayList<>(repoints);
        all.add(repoint);
        return new DatasetView(name, description, schema, pointed(new PartitionView(repoint.partition(),
                repoint.batchId(), repoint.at(), repoint.reason())), batchCount, registeredAt, registeredBy,
                repoint.position(), all);
    }

    /** The dataset as it was before any batch: the starting point of a replay to an instant. */
    public DatasetView empty() {
        return new DatasetView(name, description, schema, List.of(), 0, registeredAt, registeredBy, position,
                List.of());
    }

    private List<PartitionView> pointed(PartitionView partition) {
        List<PartitionView> next = new ArrayList<>(partitions);
        next.removeIf(p -> p.partition().equals(partition.partition()));
        next.add(partition);
        return next;
    }
}
