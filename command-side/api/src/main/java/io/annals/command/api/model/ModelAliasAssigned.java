package io.annals.command.api.model;

/** {@code previousVersion} is null when the alias is new. */
public record ModelAliasAssigned(ModelName model, String alias, int version, Integer previousVersion) {
}
