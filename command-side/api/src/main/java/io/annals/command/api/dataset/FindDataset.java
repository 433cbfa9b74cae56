package io.annals.command.api.dataset;

import java.time.Instant;
import java.util.Objects;

/**
 * A dataset; with {@code asOf}, as it was at that instant: the batch each partition pointed at then, and how many
 * batches it had (empty if it was not registered yet).
 */
public record FindDataset(DatasetName name, Instant asOf) {

    public FindDataset {
        Objects.requireNonNull(name, "dataset name is required");
    }

    public FindDataset(DatasetName name) {
        this(name, null);
    }
}
