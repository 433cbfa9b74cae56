package io.annals.command.api.access;

import io.annals.command.api.common.Actor;
import java.util.Optional;

/** The rules of access that hold wherever access is checked or changed. */
public final class AccessRules {

    private AccessRules() {
    }

    /**
     * The role of a built-in worker's service principal ({@code service:training-worker/<id>},
     * {@code service:training-set-worker/<id>}, {@code service:drift-monitor}), which comes with its name.
     */
    public static Optional<Role> serviceRole(Actor actor) {
        String value = actor.value();
        if (!value.startsWith("service:")) {
            return Optional.empty();
        }
        for (Role role : Role.values()) {
            if (role.service()) {
                String name = "service:" + role.id();
                if (value.equals(name) || value.startsWith(name + "/")) {
                    return Optional.of(role);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Roles and tokens are for principals other than the built-in workers, whose access is fixed by their role; and
     * a worker's role is not granted.
     */
    static void requireGrantable(Actor principal, Role role) {
        if (principal == null) {
            throw new IllegalArgumentException("a principal is needed (user:<name> or service:<name>)");
        }
        serviceRole(principal).ifPresent(r -> {
            throw new IllegalArgumentException("'" + principal + "' is the platform's own " + r.id()
                    + ": its access is fixed by that role and cannot be changed or used with a token");
        });
        if (role != null && role.service()) {
            throw new IllegalArgumentException("role " + role.id() + " belongs to the platform's own workers and "
                    + "cannot be granted");
        }
    }

    static void requireGrant(Actor principal, Permission permission, ResourcePattern resource, Effect effect) {
        requireGrantable(principal, null);
        if (permission == null || resource == null || effect == null) {
            throw new IllegalArgumentException("a grant needs a permission, a resource pattern and an effect");
        }
        if (permission.resourceKind() != null && !resource.value().equals("*")
                && !resource.value().startsWith(permission.resourceKind() + ":")) {
            throw new IllegalArgumentException("permission " + permission.id() + " acts on " + permission.resourceKind()
                    + " resources; '" + resource + "' names none (use " + permission.resourceKind() + ":<pattern>)");
        }
    }
}
