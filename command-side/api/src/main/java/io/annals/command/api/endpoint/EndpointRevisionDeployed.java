package io.annals.command.api.endpoint;

import java.util.List;

public record EndpointRevisionDeployed(EndpointName endpoint, int revision, List<ServingTarget> targets,
                                       String reason) {
}
