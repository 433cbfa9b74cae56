package io.annals.command.api.model;

/** A model with its versions and aliases. */
public record FindModel(ModelName name) {
}
