package io.annals.command.api.model;

public record FindModels() {
}
