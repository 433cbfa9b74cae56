package io.annals.command.domain.model;

import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionRegistered;
import java.util.Optional;
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
        try {
            return models.load(model.value()).invoke(m -> m.version(version));
        } catch (AggregateNotFoundException e) {
            return Optional.empty();
        }
    }
}
