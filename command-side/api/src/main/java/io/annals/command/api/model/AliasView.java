package io.annals.command.api.model;

/** An alias (such as champion) and the version it points at. */
public record AliasView(String alias, int version) {
}
