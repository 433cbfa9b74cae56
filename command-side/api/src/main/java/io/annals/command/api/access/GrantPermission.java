package io.annals.command.api.access;

import io.annals.command.api.common.Actor;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Allows or denies one permission on the resources a pattern matches; the same grant again records nothing. */
public record GrantPermission(@TargetAggregateIdentifier Actor principal, Permission permission,
                              ResourcePattern resource, Effect effect) {

    public GrantPermission {
        AccessRules.requireGrant(principal, permission, resource, effect);
    }
}
