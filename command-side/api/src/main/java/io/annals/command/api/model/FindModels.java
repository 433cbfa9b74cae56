package io.annals.command.api.model;

import io.annals.command.api.common.PageRequest;

/** Models by name; answers a {@code Page<ModelView>}. */
public record FindModels(PageRequest page) {
}
