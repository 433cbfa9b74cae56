package io.annals.command.domain.model;

import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionRegistered;
import java.util.Optional;

/** What other aggregates may ask about registered model versions while they handle a command. */
public interface ModelCatalog {

    Optional<ModelVersionRegistered> version(ModelName model, int version);

    /** The version an alias points at now. */
    Optional<ModelVersionRegistered> aliased(ModelName model, String alias);

    /** The newest version, if the model has any. */
    Optional<ModelVersionRegistered> latest(ModelName model);
}
