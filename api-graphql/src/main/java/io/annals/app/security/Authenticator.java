package io.annals.app.security;

import io.annals.command.api.access.AccessRules;
import io.annals.command.api.access.AccessState;
import io.annals.command.api.access.Role;
import io.annals.command.api.common.Actor;
import io.annals.infra.clients.SecretFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who sent a request, from its bearer token: an API token created through the API (checked against the SHA-256 in
 * its principal's access stream, its expiry and revocation), a token from configuration (for bootstrapping), or a
 * JWT from the configured sign-on issuer. When no token is configured, one for the principal {@code admin} is
 * generated, kept (owner-readable only) in the data directory so it survives restarts, and printed once at start.
 */
public final class Authenticator {

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

    private final Map<String, Actor> configuredPrincipals = new LinkedHashMap<>();
    private final Map<Actor, Set<Role>> configuredRoles = new LinkedHashMap<>();
    private final String generatedAdminToken;
    private final AccessDirectory directory;
    private final TokenUsage usage;
    private final SignOnTokens signOn;
    private final Clock clock;

    public Authenticator(SecuritySettings settings, AccessDirectory directory, TokenUsage usage, Clock clock) {
        this.directory = directory;
        this.usage = usage;
        this.clock = clock;
        settings.roles().forEach((principal, roles) -> {
            Set<Role> set = EnumSet.noneOf(Role.class);
            roles.forEach(r -> set.add(Role.of(r)));
            set.stream().filter(Role::service).findAny().ifPresent(r -> {
                throw new IllegalArgumentException("annals.security.roles." + principal + ": role " + r.id()
                        + " belongs to the platform's own workers");
            });
            configuredRoles.put(principal(principal), Set.copyOf(set));
        });
        settings.tokens().forEach((principal, token) -> {
            if (token == null || token.length() < 16) {
                throw new IllegalArgumentException("the token of principal '" + principal
                        + "' must be at least 16 characters");
            }
            configuredPrincipals.put(token, principal(principal));
        });
        if (configuredPrincipals.isEmpty()) {
            generatedAdminToken = loadOrCreate(settings.tokenFile());
            configuredPrincipals.put(generatedAdminToken, Actor.user("admin"));
        } else {
            generatedAdminToken = null;
        }
        this.signOn = settings.jwt().enabled() ? new SignOnTokens(settings.jwt()) : null;
        configuredPrincipals.values().stream().distinct().forEach(p -> {
            if (rolesOf(p).isEmpty()) {
                log.warn("{} has a token in configuration and no role there (annals.security.roles): it may do only "
                        + "what is granted to it in the log", p);
            }
        });
        if (!configuredRoles.isEmpty()) {
            log.info("Roles from configuration: {}", configuredRoles);
        }
    }

    /** A principal in configuration: {@code alice} is {@code user:alice}; {@code service:ci} is itself. */
    static Actor principal(String configured) {
        Actor actor = configured.startsWith("user:") || configured.startsWith("service:") ? Actor.of(configured)
                : Actor.user(configured);
        AccessRules.serviceRole(actor).ifPresent(role -> {
            throw new IllegalArgumentException("annals.security: '" + configured + "' is the platform's own "
                    + role.id() + "; it acts only inside the platform and cannot have a token or roles");
        });
        return actor;
    }

    private static String loadOrCreate(Path file) {
        boolean[] created = new boolean[1];
        String token = SecretFiles.readOrCreate(file, () -> {
            created[0] = true;
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            return "annals_" + HexFormat.of().formatHex(bytes);
        });
        if (created[0]) {
            log.info("Generated an API token for principal 'admin' in {}", file);
        }
        return token;
    }

    /**
     * The caller of an {@code Authorization} header value; empty when there is none.
     *
     * @throws Caller.UnauthenticatedException when a token is sent but is not valid, saying why
     */
    public Optional<Caller> authenticate(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return Optional.empty();
        }
        if (!authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Caller.UnauthenticatedException("the Authorization header must be 'Bearer <token>'");
        }
        String token = authorizationHeader.substring(7).trim();
        Optional<ApiTokens.Presented> apiToken = ApiTokens.parse(token);
        if (apiToken.isPresent()) {
            return Optional.of(apiToken(apiToken.get()));
        }
        byte[] presented = token.getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, Actor> e : configuredPrincipals.entrySet()) {
            if (MessageDigest.isEqual(presented, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                return Optional.of(new Caller(e.getValue(), rolesOf(e.getValue()), "configuration", null));
            }
        }
        if (signOn != null && SignOnTokens.looksLikeJwt(token)) {
            Caller caller = signOn.authenticate(token);
            Set<Role> roles = EnumSet.noneOf(Role.class);
            roles.addAll(caller.roles());
            roles.addAll(rolesOf(caller.actor()));
            return Optional.of(new Caller(caller.actor(), roles, caller.via(), null));
        }
        throw new Caller.UnauthenticatedException("unknown token: send an API token (createApiToken), a token from "
                + "annals.security.tokens" + (signOn == null ? "" : " or a JWT of the configured sign-on issuer"));
    }

    private Caller apiToken(ApiTokens.Presented presented) {
        AccessState access = directory.current(presented.principal());
        AccessState.Token token = access.tokens().get(presented.tokenId());
        if (token == null || !ApiTokens.sameDigest(token.secretSha256(), ApiTokens.sha256(presented.token()))) {
            throw new Caller.UnauthenticatedException("unknown API token");
        }
        Instant now = clock.instant();
        if (token.revokedAt() != null) {
            throw new Caller.UnauthenticatedException("API token " + token.tokenId() + " ('" + token.name()
                    + "') was revoked at " + token.revokedAt());
        }
        if (!token.usableAt(now)) {
            throw new Caller.UnauthenticatedException("API token " + token.tokenId() + " ('" + token.name()
                    + "') expired at " + token.expiresAt());
        }
        usage.used(token.tokenId(), now);
        return new Caller(presented.principal(), rolesOf(presented.principal()), "api-token", token.tokenId());
    }

    /** The roles configuration gives a principal. */
    public Set<Role> rolesOf(Actor principal) {
        return configuredRoles.getOrDefault(principal, Set.of());
    }

    /** The generated admin token, when no tokens were configured. */
    public Optional<String> generatedAdminToken() {
        return Optional.ofNullable(generatedAdminToken);
    }

    /** Principals that configuration gives roles. */
    public List<Actor> configuredPrincipals() {
        return List.copyOf(configuredRoles.keySet());
    }
}
