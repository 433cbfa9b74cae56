package io.annals.command.api.model;

/** A model with its aliases; answers an {@code Optional<ModelView>}. */
public record FindModel(ModelName name) {
}
