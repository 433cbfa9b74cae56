package io.annals.app.graphql;

import graphql.GraphQLContext;
import io.annals.app.graphql.Mutations.UserError;
import io.annals.app.security.AccessDirectory;
import io.annals.app.security.ApiTokens;
import io.annals.app.security.Authenticator;
import io.annals.app.security.Caller;
import io.annals.app.security.SecuritySettings;
import io.annals.app.security.TokenUsage;
import io.annals.command.api.access.AccessState;
import io.annals.command.api.access.ApiTokenId;
import io.annals.command.api.access.CreateApiToken;
import io.annals.command.api.access.Effect;
import io.annals.command.api.access.GrantPermission;
import io.annals.command.api.access.GrantRole;
import io.annals.command.api.access.Permission;
import io.annals.command.api.access.ResourcePattern;
import io.annals.command.api.access.RevokeApiToken;
import io.annals.command.api.access.RevokePermission;
import io.annals.command.api.access.RevokeRole;
import io.annals.command.api.access.Role;
import io.annals.command.api.common.Actor;
import io.annals.workers.port.CommandPort;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/**
 * Who may do what: a principal's access now or at any past instant (folded from its access stream), who could use
 * a permission on a resource, grants of roles and permissions (administrators), and API tokens.
 */
@Controller
class AccessController {

    private final CommandPort commands;
    private final AccessDirectory directory;
    private final Authenticator authenticator;
    private final TokenUsage usage;
    private final SecuritySettings settings;

    AccessController(CommandPort commands, AccessDirectory directory, Authenticator authenticator,
                     TokenUsage usage, SecuritySettings settings) {
        this.commands = commands;
        this.directory = directory;
        this.authenticator = authenticator;
        this.usage = usage;
        this.settings = settings;
    }

    record RoleGrantView(Role role, Instant grantedAt, String grantedBy, String source) {
    }

    record PermissionGrantView(String permission, String resource, Effect effect, Instant grantedAt,
                               String grantedBy) {
    }

    record ApiTokenView(String tokenId, String name, Instant createdAt, String createdBy, Instant expiresAt,
                        Instant revokedAt, String revokedBy, Instant lastUsedAt, boolean active) {
    }

    record Decision(boolean allowed, String reason) {
    }

    /**
     * @param outside roles given outside the log (configuration; the caller's sign-on claims for {@code myAccess})
     */
    record AccessView(String principal, Instant asOf, List<RoleGrantView> roles, List<PermissionGrantView> grants,
                      List<String> permissions, AccessState state, Set<Role> outside) {
    }

    record RoleInput(String principal, Role role) {
    }

    record PermissionInput(String principal, String permission, String resource, Effect effect) {
    }

    record AccessPayload(AccessView access, List<UserError> errors) {
    }

    record CreateApiTokenInput(String name, String expiresIn, String principal) {
    }

    record CreateApiTokenPayload(String secret, ApiTokenView token, List<UserError> errors) {
    }

    record RevokeApiTokenInput(String tokenId, String principal) {
    }

    record RevokeApiTokenPayload(ApiTokenView token, List<UserError> errors) {
    }

    @QueryMapping
    AccessView accessOf(@Argument String principal, @Argument Instant asOf) {
        Actor actor = Actor.of(principal);
        return asOf == null ? view(directory.current(actor), null, authenticator.rolesOf(actor))
                : view(directory.asOf(actor, asOf), asOf, Set.of());
    }

    @QueryMapping
    AccessView myAccess(GraphQLContext context) {
        Caller caller = Caller.of(context);
        return view(directory.current(caller.actor()), null, caller.roles());
    }

    /** Everyone who could (or at asOf could) use a permission on a resource, with what allowed it. */
    @QueryMapping
    List<AccessView> principalsAllowed(@Argument String permission, @Argument String resource,
                                       @Argument Instant asOf) {
        Permission p = Permission.of(permission);
        String target = resource == null ? "*" : resource;
        List<Actor> principals = new ArrayList<>(directory.principalsOnRecord());
        if (asOf == null) {
            authenticator.configuredPrincipals().stream().filter(a -> !principals.contains(a)).forEach(principals::add);
        }
        return principals.stream()
                .map(a -> asOf == null ? view(directory.current(a), null, authenticator.rolesOf(a))
                        : view(directory.asOf(a, asOf), asOf, Set.of()))
                .filter(v -> v.state().decide(v.outside(), p, target).allowed())
                .sorted(Comparator.comparing(AccessView::principal)).toList();
    }

    @SchemaMapping(typeName = "Access", field = "can")
    Decision can(AccessView access, @Argument String permission, @Argument String resource) {
        AccessState.Decision d = access.state().decide(access.outside(), Permission.of(permission), resource);
        return new Decision(d.allowed(), d.reason());
    }

    @SchemaMapping(typeName = "Access", field = "tokens")
    List<ApiTokenView> tokens(AccessView access) {
        Map<ApiTokenId, Instant> used = usage.lastUsed(access.state().tokens().keySet());
        Instant at = access.asOf() == null ? Instant.now() : access.asOf();
        return access.state().tokens().values().stream()
                .sorted(Comparator.comparing(AccessState.Token::createdAt).reversed())
                .map(t -> token(t, access.asOf() == null ? used.get(t.tokenId()) : null, at)).toList();
    }

    private static ApiTokenView token(AccessState.Token t, Instant lastUsed, Instant at) {
        return new ApiTokenView(t.tokenId().value(), t.name(), t.createdAt(), actor(t.createdBy()), t.expiresAt(),
                t.revokedAt(), actor(t.revokedBy()), lastUsed, t.usableAt(at));
    }

    private static String actor(Actor actor) {
        return actor == null ? null : actor.value();
    }

    private static AccessView view(AccessState state, Instant asOf, Set<Role> outside) {
        List<RoleGrantView> roles = new ArrayList<>();
        state.roles().forEach((role, change) -> roles.add(new RoleGrantView(role, change.at(), actor(change.by()),
                "log")));
        outside.stream().filter(r -> !state.roles().containsKey(r))
                .forEach(r -> roles.add(new RoleGrantView(r, null, null, "configuration or sign-on")));
        List<PermissionGrantView> grants = new ArrayList<>();
        state.grants().forEach((g, change) -> grants.add(new PermissionGrantView(g.permission().id(),
                g.resource().value(), g.effect(), change.at(), actor(change.by()))));
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        state.allRoles(outside).forEach(r -> permissions.addAll(r.permissions()));
        return new AccessView(state.principal().value(), asOf, roles, grants,
                permissions.stream().map(Permission::id).toList(), state, outside);
    }

    /** Sends the change a principal's access; the payload is that access as it is now. */
    private AccessPayload change(String principalText, GraphQLContext context, Function<Actor, Object> command) {
        Actor by = Caller.require(context);
        return Mutations.run("principal not found", null, () -> {
            Actor principal = Actor.of(principalText);
            commands.send(command.apply(principal), by, null);
            directory.forget(principal);
            return new AccessPayload(view(directory.current(principal), null, authenticator.rolesOf(principal)),
                    List.of());
        }, errors -> new AccessPayload(null, errors));
    }

    private AccessPayload change(PermissionInput input, GraphQLContext context, boolean grant) {
        return change(input.principal(), context, principal -> {
            Permission permission = Permission.of(input.permission());
            ResourcePattern resource = ResourcePattern.of(input.resource());
            Effect effect = input.effect() == null ? Effect.ALLOW : input.effect();
            return grant ? new GrantPermission(principal, permission, resource, effect)
                    : new RevokePermission(principal, permission, resource, effect);
        });
    }

    @MutationMapping
    AccessPayload grantRole(@Argument RoleInput input, GraphQLContext context) {
        return change(input.principal(), context, principal -> new GrantRole(principal, input.role()));
    }

    @MutationMapping
    AccessPayload revokeRole(@Argument RoleInput input, GraphQLContext context) {
        return change(input.principal(), context, principal -> new RevokeRole(principal, input.role()));
    }

    @MutationMapping
    AccessPayload grantPermission(@Argument PermissionInput input, GraphQLContext context) {
        return change(input, context, true);
    }

    @MutationMapping
    AccessPayload revokePermission(@Argument PermissionInput input, GraphQLContext context) {
        return change(input, context, false);
    }

    @MutationMapping
    CreateApiTokenPayload createApiToken(@Argument CreateApiTokenInput input, GraphQLContext context) {
        Actor by = Caller.require(context);
        return Mutations.run("principal not found", null, () -> {
            Actor holder = input.principal() == null ? by : Actor.of(input.principal());
            Duration lifetime = lifetime(input.expiresIn());
            ApiTokenId id = ApiTokenId.random();
            String secret = ApiTokens.newToken(holder, id);
            commands.send(new CreateApiToken(holder, id, input.name(), ApiTokens.sha256(secret),
                    Instant.now().plus(lifetime)), by, null);
            directory.forget(holder);
            AccessState.Token created = directory.current(holder).tokens().get(id);
            return new CreateApiTokenPayload(secret, token(created, null, Instant.now()), List.of());
        }, errors -> new CreateApiTokenPayload(null, null, errors));
    }

    private Duration lifetime(String expiresIn) {
        if (expiresIn == null) {
            return settings.defaultTokenLifetime();
        }
        Duration lifetime;
        try {
            lifetime = Duration.parse(expiresIn);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expiresIn '" + expiresIn + "' is not an ISO-8601 duration such as "
                    + "P30D or PT12H");
        }
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(settings.maxTokenLifetime()) > 0) {
            throw new IllegalArgumentException("expiresIn must be between PT1S and " + settings.maxTokenLifetime()
                    + " (annals.security.max-token-lifetime)");
        }
        return lifetime;
    }

    @MutationMapping
    RevokeApiTokenPayload revokeApiToken(@Argument RevokeApiTokenInput input, GraphQLContext context) {
        Actor by = Caller.require(context);
        return Mutations.run("token not found", null, () -> {
            Actor holder = input.principal() == null ? by : Actor.of(input.principal());
            ApiTokenId id = ApiTokenId.of(input.tokenId());
            commands.send(new RevokeApiToken(holder, id), by, null);
            directory.forget(holder);
            return new RevokeApiTokenPayload(token(directory.current(holder).tokens().get(id), null, Instant.now()),
                    List.of());
        }, errors -> new RevokeApiTokenPayload(null, errors));
    }
}
