package io.annals.command.api.dataset;

/** One dataset with its schema and partitions; answers an {@code Optional<DatasetView>}. */
public record FindDataset(DatasetName name) {
}
