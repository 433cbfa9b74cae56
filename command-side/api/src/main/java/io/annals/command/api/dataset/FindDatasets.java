package io.annals.command.api.dataset;

import io.annals.command.api.common.PageRequest;

/** Datasets by name; answers a {@code Page<DatasetView>}. */
public record FindDatasets(PageRequest page) {
}
