package io.annals.command.api.access;

import io.annals.command.api.common.Actor;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Removes a grant made by {@link GrantPermission}; refused when there is no such grant. */
public record RevokePermission(@TargetAggregateIdentifier Actor principal, Permission permission,
                               ResourcePattern resource, Effect effect) {

    public RevokePermission {
        AccessRules.requireGrant(principal, permission, resource, effect);
    }
}
