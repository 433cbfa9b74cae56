package io.annals.command.api.model;

import io.annals.command.api.common.Ids;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Points an alias such as {@code champion} at a version, moving it if it pointed elsewhere. */
public record AssignModelAlias(@TargetAggregateIdentifier ModelName model, String alias, int version) {

    public AssignModelAlias {
        Ids.requireName("alias", alias);
    }
}
