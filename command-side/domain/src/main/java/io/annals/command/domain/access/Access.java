package io.annals.command.domain.access;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.annals.command.api.access.AccessState.Grant;
import io.annals.command.api.access.ApiTokenCreated;
import io.annals.command.api.access.ApiTokenId;
import io.annals.command.api.access.ApiTokenRevoked;
import io.annals.command.api.access.CreateApiToken;
import io.annals.command.api.access.GrantPermission;
import io.annals.command.api.access.GrantRole;
import io.annals.command.api.access.PermissionGranted;
import io.annals.command.api.access.PermissionRevoked;
import io.annals.command.api.access.RevokeApiToken;
import io.annals.command.api.access.RevokePermission;
import io.annals.command.api.access.RevokeRole;
import io.annals.command.api.access.Role;
import io.annals.command.api.access.RoleGranted;
import io.annals.command.api.access.RoleRevoked;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.StreamId;
import io.annals.command.domain.config.StreamTargetResolver;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * The access of one principal ({@code access:user:alice}): its roles, permission grants and API tokens. Granting
 * what is held already records nothing, so an administrator's retry is harmless; taking back what is not held is
 * refused, so the log never says something was revoked that was not there.
 */
@Aggregate(commandTargetResolver = StreamTargetResolver.BEAN)
public class Access {

    /** At most this many tokens that are not revoked, so a loop of token creation stays bounded. */
    static final int MAX_LIVE_TOKENS = 100;

    @AggregateIdentifier
    private String streamId;
    private final Set<Role> roles = EnumSet.noneOf(Role.class);
    private final Set<Grant> grants = new HashSet<>();
    /** Token id to whether it is revoked. */
    private final Map<ApiTokenId, Boolean> tokens = new HashMap<>();

    protected Access() {
    }

    /** Returns whether the role was new. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public boolean handle(GrantRole command) {
        if (roles.contains(command.role())) {
            return false;
        }
        apply(new RoleGranted(command.principal(), command.role()));
        return true;
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RevokeRole command) {
        if (!roles.contains(command.role())) {
            throw DomainException.conflict(command.principal() + " does not hold role " + command.role().id());
        }
        apply(new RoleRevoked(command.principal(), command.role()));
    }

    /** Returns whether the grant was new. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public boolean handle(GrantPermission command) {
        if (grants.contains(new Grant(command.permission(), command.resource(), command.effect()))) {
            return false;
        }
        apply(new PermissionGranted(command.principal(), command.permission(), command.resource(),
                command.effect()));
        return true;
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RevokePermission command) {
        if (!grants.contains(new Grant(command.permission(), command.resource(), command.effect()))) {
            throw DomainException.conflict(command.principal() + " has no grant " + command.effect() + " "
                    + command.permission().id() + " on " + command.resource());
        }
        apply(new PermissionRevoked(command.principal(), command.permission(), command.resource(),
                command.effect()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(CreateApiToken command) {
        if (tokens.containsKey(command.tokenId())) {
            throw DomainException.conflict("token " + command.tokenId() + " exists already");
        }
        long live = tokens.values().stream().filter(revoked -> !revoked).count();
        if (live >= MAX_LIVE_TOKENS) {
            throw DomainException.conflict(command.principal() + " has " + live + " tokens that are not revoked, "
                    + "the most there may be; revoke some first");
        }
        apply(new ApiTokenCreated(command.principal(), command.tokenId(), command.name(), command.secretSha256(),
                command.expiresAt()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RevokeApiToken command) {
        Boolean revoked = tokens.get(command.tokenId());
        if (revoked == null) {
            throw DomainException.notFound(command.principal() + " has no token " + command.tokenId());
        }
        if (revoked) {
            throw DomainException.conflict("token " + command.tokenId() + " is revoked already");
        }
        apply(new ApiTokenRevoked(command.principal(), command.tokenId()));
    }

    @EventSourcingHandler
    void on(RoleGranted event) {
        streamId = StreamId.of(event.principal()).toString();
        roles.add(event.role());
    }

    @EventSourcingHandler
    void on(RoleRevoked event) {
        streamId = StreamId.of(event.principal()).toString();
        roles.remove(event.role());
    }

    @EventSourcingHandler
    void on(PermissionGranted event) {
        streamId = StreamId.of(event.principal()).toString();
        grants.add(new Grant(event.permission(), event.resource(), event.effect()));
    }

    @EventSourcingHandler
    void on(PermissionRevoked event) {
        streamId = StreamId.of(event.principal()).toString();
        grants.remove(new Grant(event.permission(), event.resource(), event.effect()));
    }

    @EventSourcingHandler
    void on(ApiTokenCreated event) {
        streamId = StreamId.of(event.principal()).toString();
        tokens.put(event.tokenId(), false);
    }

    @EventSourcingHandler
    void on(ApiTokenRevoked event) {
        streamId = StreamId.of(event.principal()).toString();
        tokens.put(event.tokenId(), true);
    }
}
