package io.annals.command.api.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.command.api.common.Actor;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessStateTest {

    private static final Actor ALICE = Actor.user("alice");
    private static final Actor ADMIN = Actor.user("admin");
    private static final Instant T = Instant.parse("2026-11-01T09:00:00Z");

    private static AccessState fold(Object... events) {
        AccessState state = AccessState.empty(ALICE);
        for (int i = 0; i < events.length; i++) {
            state = state.apply(events[i], T.plusSeconds(i), ADMIN);
        }
        return state;
    }

    @Test
    void withoutRolesOrGrantsNothingIsAllowed_butOnesOwnTokens() {
        AccessState none = fold();
        AccessState.Decision read = none.decide(List.of(), Permission.READ, "*");
        assertThat(read.allowed()).isFalse();
        assertThat(read.reason()).isEqualTo("user:alice lacks permission read");
        assertThat(none.decide(List.of(), Permission.TOKEN_MANAGE, "principal:user:alice").allowed()).isTrue();
        assertThat(none.decide(List.of(), Permission.TOKEN_MANAGE, "principal:user:bob").allowed()).isFalse();
    }

    @Test
    void aRoleAllowsItsPermissionsOnEveryResource() {
        AccessState deployer = fold(new RoleGranted(ALICE, Role.DEPLOYER));
        assertThat(deployer.decide(List.of(), Permission.ENDPOINT_DEPLOY, "endpoint:prod-eu").allowed()).isTrue();
        assertThat(deployer.decide(List.of(), Permission.MODEL_TRAIN, "model:fraud").reason())
                .isEqualTo("user:alice lacks permission model:train on model:fraud");
        assertThat(fold().decide(Set.of(Role.DEPLOYER), Permission.ENDPOINT_DEPLOY, "endpoint:x").allowed())
                .as("a role given by configuration or a sign-on claim").isTrue();
    }

    @Test
    void anAllowGrantOnAPatternAllowsOnlyWhatMatches() {
        AccessState state = fold(new PermissionGranted(ALICE, Permission.ENDPOINT_DEPLOY,
                ResourcePattern.of("endpoint:staging-*"), Effect.ALLOW));
        assertThat(state.decide(List.of(), Permission.ENDPOINT_DEPLOY, "endpoint:staging-eu").allowed()).isTrue();
        assertThat(state.decide(List.of(), Permission.ENDPOINT_DEPLOY, "endpoint:prod-eu").allowed()).isFalse();
        assertThat(state.decide(List.of(), Permission.ENDPOINT_MONITOR, "endpoint:staging-eu")
                .allowed()).isFalse();
    }

    @Test
    void denyWinsOverRolesAndAllows() {
        AccessState state = fold(new RoleGranted(ALICE, Role.ADMIN),
                new PermissionGranted(ALICE, Permission.ENDPOINT_DEPLOY, ResourcePattern.of("endpoint:*"), Effect.ALLOW),
                new PermissionGranted(ALICE, Permission.ENDPOINT_DEPLOY, ResourcePattern.of("endpoint:prod-*"),
                        Effect.DENY));
        AccessState.Decision prod = state.decide(List.of(), Permission.ENDPOINT_DEPLOY, "endpoint:prod-eu");
        assertThat(prod.allowed()).isFalse();
        assertThat(prod.reason()).isEqualTo("user:alice is denied endpoint:deploy on endpoint:prod-*");
        assertThat(state.decide(List.of(), Permission.ENDPOINT_DEPLOY, "endpoint:staging").allowed()).isTrue();
        assertThat(state.decide(List.of(), Permission.ENDPOINT_MONITOR, "endpoint:prod-eu").allowed()).isTrue();
    }

    @Test
    void revokingTakesBack_andTheFoldKeepsWhenAndWho() {
        AccessState state = fold(new RoleGranted(ALICE, Role.DEPLOYER), new RoleRevoked(ALICE, Role.DEPLOYER),
                new RoleGranted(ALICE, Role.VIEWER));
        assertThat(state.roles()).containsOnlyKeys(Role.VIEWER);
        assertThat(state.roles().get(Role.VIEWER)).isEqualTo(new AccessState.Change(T.plusSeconds(2), ADMIN));
    }

    @Test
    void aTokenIsUsableUntilItExpiresOrIsRevoked() {
        ApiTokenId id = ApiTokenId.of("00000000000000aa");
        AccessState created = fold(new ApiTokenCreated(ALICE, id, "ci", "c".repeat(64), T.plusSeconds(3600)));
        assertThat(created.tokens().get(id).usableAt(T.plusSeconds(10))).isTrue();
        assertThat(created.tokens().get(id).usableAt(T.plusSeconds(3600))).isFalse();
        AccessState revoked = created.apply(new ApiTokenRevoked(ALICE, id), T.plusSeconds(20), ADMIN);
        assertThat(revoked.tokens().get(id).usableAt(T.plusSeconds(30))).isFalse();
        assertThat(revoked.tokens().get(id).revokedBy()).isEqualTo(ADMIN);
    }

    @Test
    void patternsMatchWholeNames() {
        assertThat(ResourcePattern.of("model:fraud-*").matches("model:fraud-eu")).isTrue();
        assertThat(ResourcePattern.of("model:fraud-*").matches("model:antifraud-eu")).isFalse();
        assertThat(ResourcePattern.of("model:*-eu").matches("model:fraud-eu")).isTrue();
        assertThat(ResourcePattern.of("model:fraud.eu").matches("model:fraudxeu")).as("no regex").isFalse();
        assertThat(ResourcePattern.of("*").matches("endpoint:anything")).isTrue();
        assertThat(ResourcePattern.of("dataset:*").matches("model:x")).isFalse();
    }

    @Test
    void workersHaveTheirRoleByName() {
        assertThat(AccessRules.serviceRole(Actor.service("training-worker/host-1"))).contains(Role.TRAINING_WORKER);
        assertThat(AccessRules.serviceRole(Actor.service("drift-monitor"))).contains(Role.DRIFT_MONITOR);
        assertThat(AccessRules.serviceRole(Actor.service("training-workers"))).isEmpty();
        assertThat(AccessRules.serviceRole(Actor.user("training-worker"))).isEmpty();
    }
}
