package io.annals.command.api.dataset;

/** All datasets, newest first. */
public record FindDatasets() {
}
