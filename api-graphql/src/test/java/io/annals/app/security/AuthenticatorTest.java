package io.annals.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.command.api.access.Role;
import io.annals.command.api.common.Actor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tokens and roles from configuration, without a platform (API tokens and JWTs are in AccessControlTest). */
class AuthenticatorTest {

    private static Authenticator authenticator(Map<String, String> tokens, Map<String, List<String>> roles) {
        SecuritySettings settings = new SecuritySettings(tokens, roles, Path.of("unused"), Duration.ofDays(90),
                Duration.ofDays(366), Duration.ofSeconds(5), Duration.ofMinutes(5),
                new SecuritySettings.Jwt(null, null, null, null, "sub", "groups", Map.of()));
        return new Authenticator(settings, null, null, Clock.systemUTC());
    }

    @Test
    void aConfiguredTokenStandsForItsPrincipal_withItsConfiguredRoles() {
        Authenticator auth = authenticator(Map.of("alice", "alice-token-0123456789", "service:ci", "ci-token-0123456789"),
                Map.of("alice", List.of("admin"), "service:ci", List.of("viewer")));
        assertThat(auth.authenticate("Bearer alice-token-0123456789")).hasValueSatisfying(c -> {
            assertThat(c.actor()).isEqualTo(Actor.user("alice"));
            assertThat(c.roles()).containsExactly(Role.ADMIN);
            assertThat(c.via()).isEqualTo("configuration");
        });
        assertThat(auth.authenticate("bearer ci-token-0123456789")).hasValueSatisfying(c ->
                assertThat(c.actor()).isEqualTo(Actor.service("ci")));
        assertThat(auth.authenticate(null)).isEmpty();
    }

    @Test
    void unknownTokensAndOtherSchemesAreRefusedWithAReason() {
        Authenticator auth = authenticator(Map.of("alice", "alice-token-0123456789"), Map.of());
        assertThatThrownBy(() -> auth.authenticate("Bearer nope")).isInstanceOf(Caller.UnauthenticatedException.class)
                .hasMessageStartingWith("unknown token");
        assertThatThrownBy(() -> auth.authenticate("Basic YWxpY2U6cHc=")).hasMessage(
                "the Authorization header must be 'Bearer <token>'");
    }

    @Test
    void theWorkersPrincipalsAndRolesCannotBeConfigured() {
        assertThatThrownBy(() -> authenticator(Map.of("service:training-worker/x", "worker-token-0123456789"),
                Map.of())).hasMessageContaining("is the platform's own training-worker");
        assertThatThrownBy(() -> authenticator(Map.of("alice", "alice-token-0123456789"),
                Map.of("alice", List.of("drift-monitor")))).hasMessageContaining("belongs to the platform's own workers");
        assertThatThrownBy(() -> authenticator(Map.of("alice", "short"), Map.of()))
                .hasMessageContaining("at least 16 characters");
    }
}
