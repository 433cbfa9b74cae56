package io.annals.command.api.dataset;

/** One dataset with its batches. */
public record FindDataset(DatasetName name) {
}
