package io.annals.command.domain.model;

import io.annals.command.api.common.StreamId;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionRegistered;
import java.util.Optional;
import java.util.function.Function;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

@Component
class EventSourcedModelCatalog implements ModelCatalog {

    private final Repository<Model> models;

    EventSourcedModelCatalog(Repository<Model> models) {
        this.models = models;
    }

    @Override
    public Optional<ModelVersionRegistered> version(ModelName model, int version) {
        return read(model, m -> m.version(version));
    }

    @Override
    public Optional<ModelVersionRegistered> aliased(ModelName model, String alias) {
        return read(model, m -> m.aliased(alias));
    }

    @Override
    public Optional<ModelVersionRegistered> latest(ModelName model) {
        return read(model, Model::latest);
    }

    private Optional<ModelVersionRegistered> read(ModelName model,
                                                  Function<Model, Optional<ModelVersionRegistered>> query) {
        try {
            return models.load(StreamId.of(model).toString()).invoke(query);
        } catch (AggregateNotFoundException e) {
            return Optional.empty();
        }
    }
}
