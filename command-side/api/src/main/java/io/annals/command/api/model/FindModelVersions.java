package io.annals.command.api.model;

import io.annals.command.api.common.PageRequest;

/** The versions of a model, newest first; answers a {@code Page<ModelVersionView>}. */
public record FindModelVersions(ModelName model, PageRequest page) {
}
