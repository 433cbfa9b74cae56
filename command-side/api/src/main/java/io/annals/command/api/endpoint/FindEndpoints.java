package io.annals.command.api.endpoint;

import io.annals.command.api.common.PageRequest;

/** Endpoints by name; answers a {@code Page<EndpointView>}. */
public record FindEndpoints(PageRequest page) {
}
