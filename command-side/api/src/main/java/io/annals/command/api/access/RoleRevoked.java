package io.annals.command.api.access;

import io.annals.command.api.common.Actor;

public record RoleRevoked(Actor principal, Role role) {
}
