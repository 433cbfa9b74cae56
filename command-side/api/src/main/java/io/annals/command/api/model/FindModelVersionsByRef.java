package io.annals.command.api.model;

import java.util.List;

/** Several versions by reference, whole; answers a {@code List<ModelVersionView>} of those that exist. */
public record FindModelVersionsByRef(List<ModelVersionRef> versions) {

    public FindModelVersionsByRef {
        versions = List.copyOf(versions);
    }
}
