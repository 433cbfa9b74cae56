package io.annals.command.api.model;

/** What a model version was made from; answers an {@code Optional<Lineage>}. */
public record FindModelLineage(ModelName model, int version) {
}
