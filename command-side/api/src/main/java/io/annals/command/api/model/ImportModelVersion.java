package io.annals.command.api.model;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.trainingrun.Task;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Registers the next version of a model from a file trained elsewhere, stored and checked before this is sent. */
public record ImportModelVersion(@TargetAggregateIdentifier ModelName model, ArtifactRef artifact,
                                 ImportedModel imported) {

    public ImportModelVersion {
        Objects.requireNonNull(artifact, "an imported version needs its stored file");
        Objects.requireNonNull(imported, "an imported version needs its signature");
        imported.validate();
    }

    public Task task() {
        return imported.task();
    }
}
