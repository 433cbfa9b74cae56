package io.annals.command.api.access;

import io.annals.command.api.common.Actor;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Gives a principal a built-in role; granting a role it holds already records nothing. */
public record GrantRole(@TargetAggregateIdentifier Actor principal, Role role) {

    public GrantRole {
        AccessRules.requireGrantable(principal, role);
    }
}
