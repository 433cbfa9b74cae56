package io.annals.command.api.access;

import io.annals.command.api.common.Actor;

public record PermissionGranted(Actor principal, Permission permission, ResourcePattern resource, Effect effect) {
}
