package io.annals.command.api.dataset;

public record DatasetRegistered(DatasetName name, DatasetSchema schema, String description) {
}
