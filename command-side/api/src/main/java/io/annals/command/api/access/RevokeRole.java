package io.annals.command.api.access;

import io.annals.command.api.common.Actor;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Takes a role back; refused when the principal does not hold it. */
public record RevokeRole(@TargetAggregateIdentifier Actor principal, Role role) {

    public RevokeRole {
        AccessRules.requireGrantable(principal, role);
    }
}
