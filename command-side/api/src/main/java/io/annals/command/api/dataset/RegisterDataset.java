package io.annals.command.api.dataset;

import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RegisterDataset(@TargetAggregateIdentifier DatasetName name, DatasetSchema schema, String description) {

    public RegisterDataset {
        Objects.requireNonNull(name, "dataset name is required");
        Objects.requireNonNull(schema, "dataset schema is required");
        description = description == null ? "" : description;
    }
}
