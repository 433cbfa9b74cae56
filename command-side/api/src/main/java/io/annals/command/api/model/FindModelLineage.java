package io.annals.command.api.model;

/** What a model version was made from: its run, the batches the run read and their datasets. */
public record FindModelLineage(ModelName model, int version) {
}
