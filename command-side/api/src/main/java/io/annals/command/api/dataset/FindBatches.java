package io.annals.command.api.dataset;

import io.annals.command.api.common.PageRequest;

/** The batches of a dataset, newest first; answers a {@code Page<BatchView>}. */
public record FindBatches(DatasetName dataset, PageRequest page) {
}
