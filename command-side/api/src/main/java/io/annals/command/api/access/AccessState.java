package io.annals.command.api.access;

import io.annals.command.api.common.Actor;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What one principal may do, folded from the events of its access stream: roles, permission grants and API tokens,
 * each with when and by whom it was given. The same fold answers now and any past instant (fold the events up to
 * it), and decides every request.
 */
public record AccessState(Actor principal, Map<Role, Change> roles, Map<Grant, Change> grants,
                          Map<ApiTokenId, Token> tokens) {

    /** When and by whom something was granted. */
    public record Change(Instant at, Actor by) {
    }

    public record Grant(Permission permission, ResourcePattern resource, Effect effect) {
    }

    public record Token(ApiTokenId tokenId, String name, String secretSha256, Instant createdAt, Actor createdBy,
                        Instant expiresAt, Instant revokedAt, Actor revokedBy) {

        /** Neither revoked nor expired at that instant. */
        public boolean usableAt(Instant now) {
            return revokedAt == null && now.isBefore(expiresAt);
        }
    }

    /** Whether a request may go ahead, and if not, why not in words that name the permission. */
    public record Decision(boolean allowed, Permission permission, String resource, String reason) {
    }

    public AccessState {
        roles = Collections.unmodifiableMap(roles);
        grants = Collections.unmodifiableMap(grants);
        tokens = Collections.unmodifiableMap(tokens);
    }

    public static AccessState empty(Actor principal) {
        return new AccessState(principal, Map.of(), Map.of(), Map.of());
    }

    /** This state after one more event of the stream, which happened at {@code at} by {@code by}. */
    public AccessState apply(Object event, Instant at, Actor by) {
        Map<Role, Change> r = new LinkedHashMap<>(roles);
        Map<Grant, Change> g = new LinkedHashMap<>(grants);
        Map<ApiTokenId, Token> t = new LinkedHashMap<>(tokens);
        if (event instanceof RoleGranted e) {
            r.put(e.role(), new Change(at, by));
        } else if (event instanceof RoleRevoked e) {
            r.remove(e.role());
        } else if (event instanceof PermissionGranted e) {
            g.put(new Grant(e.permission(), e.resource(), e.effect()), new Change(at, by));
        } else if (event instanceof PermissionRevoked e) {
            g.remove(new Grant(e.permission(), e.resource(), e.effect()));
        } else if (event instanceof ApiTokenCreated e) {
            t.put(e.tokenId(), new Token(e.tokenId(), e.name(), e.secretSha256(), at, by, e.expiresAt(), null, null));
        } else if (event instanceof ApiTokenRevoked e) {
            Token old = t.get(e.tokenId());
            if (old != null) {
                t.put(e.tokenId(), new Token(old.tokenId(), old.name(), old.secretSha256(), old.createdAt(),
                        old.createdBy(), old.expiresAt(), at, by));
            }
        } else {
            return this;
        }
        return new AccessState(principal, r, g, t);
    }

    /** Every role this principal has: those granted here, its worker role, and those given elsewhere. */
    public Set<Role> allRoles(Collection<Role> elsewhere) {
        Set<Role> all = EnumSet.noneOf(Role.class);
        all.addAll(roles.keySet());
        all.addAll(elsewhere);
        AccessRules.serviceRole(principal).ifPresent(all::add);
        return all;
    }

    /**
     * Decides one request: a matching DENY grant refuses whatever else allows it; otherwise a role with the
     * permission, a matching ALLOW grant, or (for {@link Permission#TOKEN_MANAGE}) the principal's own tokens allow
     * it.
     *
     * @param elsewhere roles given outside the log (configuration, the claims of a sign-on token)
     * @param resource  {@code <kind>:<name>}, or {@code *} for an action on no one resource
     */
    public Decision decide(Collection<Role> elsewhere, Permission permission, String resource) {
        for (Grant grant : grants.keySet()) {
            if (grant.effect() == Effect.DENY && grant.permission() == permission && grant.resource().matches(resource)) {
                return new Decision(false, permission, resource, principal + " is denied " + permission.id()
                        + " on " + grant.resource());
            }
        }
        if (allRoles(elsewhere).stream().anyMatch(role -> role.allows(permission))) {
            return new Decision(true, permission, resource, null);
        }
        for (Grant grant : grants.keySet()) {
            if (grant.effect() == Effect.ALLOW && grant.permission() == permission
                    && (grant.resource().matches(resource) || grant.resource().value().equals("*"))) {
                return new Decision(true, permission, resource, null);
            }
        }
        if (permission == Permission.TOKEN_MANAGE && resource.equals("principal:" + principal.value())) {
            return new Decision(true, permission, resource, null);
        }
        return new Decision(false, permission, resource, principal + " lacks permission " + permission.id()
                + (resource.equals("*") ? "" : " on " + resource));
    }
}
