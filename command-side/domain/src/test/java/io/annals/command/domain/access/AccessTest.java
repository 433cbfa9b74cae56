package io.annals.command.domain.access;

import io.annals.command.api.access.ApiTokenCreated;
import io.annals.command.api.access.ApiTokenId;
import io.annals.command.api.access.ApiTokenRevoked;
import io.annals.command.api.access.CreateApiToken;
import io.annals.command.api.access.Effect;
import io.annals.command.api.access.GrantPermission;
import io.annals.command.api.access.GrantRole;
import io.annals.command.api.access.Permission;
import io.annals.command.api.access.PermissionGranted;
import io.annals.command.api.access.PermissionRevoked;
import io.annals.command.api.access.ResourcePattern;
import io.annals.command.api.access.RevokeApiToken;
import io.annals.command.api.access.RevokePermission;
import io.annals.command.api.access.RevokeRole;
import io.annals.command.api.access.Role;
import io.annals.command.api.access.RoleGranted;
import io.annals.command.api.access.RoleRevoked;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.DomainException;
import io.annals.command.domain.config.StreamTargetResolver;
import java.time.Instant;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessTest {

    private static final Actor ALICE = Actor.user("alice");
    private static final ResourcePattern PROD = ResourcePattern.of("endpoint:prod-*");
    private static final ApiTokenId TOKEN = ApiTokenId.of("0123456789abcdef");
    private static final String SHA = "b".repeat(64);
    private static final Instant EXPIRES = Instant.parse("2027-03-01T00:00:00Z");

    private AggregateTestFixture<Access> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Access.class);
        fixture.registerCommandTargetResolver(new StreamTargetResolver());
    }

    @Nested
    class Roles {

        @Test
        void givenNothing_whenGrantRole_thenGranted() {
            fixture.givenNoPriorActivity().when(new GrantRole(ALICE, Role.DEPLOYER))
                    .expectEvents(new RoleGranted(ALICE, Role.DEPLOYER)).expectResultMessagePayload(true);
        }

        @Test
        void givenRole_whenGrantedAgain_thenNothingRecorded() {
            fixture.given(new RoleGranted(ALICE, Role.DEPLOYER)).when(new GrantRole(ALICE, Role.DEPLOYER))
                    .expectNoEvents().expectResultMessagePayload(false);
        }

        @Test
        void givenRole_whenRevoked_thenRevoked() {
            fixture.given(new RoleGranted(ALICE, Role.DEPLOYER)).when(new RevokeRole(ALICE, Role.DEPLOYER))
                    .expectEvents(new RoleRevoked(ALICE, Role.DEPLOYER));
        }

        @Test
        void givenOtherRole_whenRevokeOneNotHeld_thenConflictAndNoEvent() {
            fixture.given(new RoleGranted(ALICE, Role.VIEWER)).when(new RevokeRole(ALICE, Role.DEPLOYER))
                    .expectNoEvents().expectException(DomainException.class)
                    .expectExceptionMessage("user:alice does not hold role deployer");
        }

        @Test
        void aWorkersRoleOrPrincipalCannotBeGranted() {
            assertThatThrownBy(() -> new GrantRole(ALICE, Role.TRAINING_WORKER))
                    .hasMessage("role training-worker belongs to the platform's own workers and cannot be granted");
            assertThatThrownBy(() -> new GrantRole(Actor.service("training-worker/w1"), Role.ADMIN))
                    .hasMessageContaining("is the platform's own training-worker");
        }
    }

    @Nested
    class Grants {

        @Test
        void givenNothing_whenDenyOnPattern_thenGranted() {
            fixture.givenNoPriorActivity()
                    .when(new GrantPermission(ALICE, Permission.ENDPOINT_DEPLOY, PROD, Effect.DENY))
                    .expectEvents(new PermissionGranted(ALICE, Permission.ENDPOINT_DEPLOY, PROD, Effect.DENY));
        }

        @Test
        void givenGrant_whenRevoked_thenRevoked_andRevokingAgainIsAConflict() {
            fixture.given(new PermissionGranted(ALICE, Permission.ENDPOINT_DEPLOY, PROD, Effect.ALLOW))
                    .when(new RevokePermission(ALICE, Permission.ENDPOINT_DEPLOY, PROD, Effect.ALLOW))
                    .expectEvents(new PermissionRevoked(ALICE, Permission.ENDPOINT_DEPLOY, PROD, Effect.ALLOW));
            fixture.given(new PermissionGranted(ALICE, Permission.ENDPOINT_DEPLOY, PROD, Effect.ALLOW),
                            new PermissionRevoked(ALICE, Permission.ENDPOINT_DEPLOY, PROD, Effect.ALLOW))
                    .when(new RevokePermission(ALICE, Permission.ENDPOINT_DEPLOY, PROD, Effect.ALLOW))
                    .expectNoEvents().expectException(DomainException.class);
        }

        @Test
        void aPatternOfAnotherKindIsRefusedBeforeAnyEvent() {
            assertThatThrownBy(() -> new GrantPermission(ALICE, Permission.ENDPOINT_DEPLOY,
                    ResourcePattern.of("model:fraud-*"), Effect.ALLOW))
                    .hasMessageContaining("permission endpoint:deploy acts on endpoint resources");
            assertThatThrownBy(() -> ResourcePattern.of("modle:x")).hasMessageContaining("is not <kind>:<name pattern>");
        }
    }

    @Nested
    class Tokens {

        @Test
        void givenNothing_whenCreate_thenCreated() {
            fixture.givenNoPriorActivity().when(new CreateApiToken(ALICE, TOKEN, "laptop", SHA, EXPIRES))
                    .expectEvents(new ApiTokenCreated(ALICE, TOKEN, "laptop", SHA, EXPIRES));
        }

        @Test
        void givenToken_whenRevoked_thenRevoked_andAgainConflict() {
            fixture.given(new ApiTokenCreated(ALICE, TOKEN, "laptop", SHA, EXPIRES))
                    .when(new RevokeApiToken(ALICE, TOKEN)).expectEvents(new ApiTokenRevoked(ALICE, TOKEN));
            fixture.given(new ApiTokenCreated(ALICE, TOKEN, "laptop", SHA, EXPIRES), new ApiTokenRevoked(ALICE, TOKEN))
                    .when(new RevokeApiToken(ALICE, TOKEN)).expectNoEvents()
                    .expectExceptionMessage("token 0123456789abcdef is revoked already");
        }

        @Test
        void givenNoSuchToken_whenRevoked_thenNotFound() {
            fixture.given(new RoleGranted(ALICE, Role.VIEWER)).when(new RevokeApiToken(ALICE, TOKEN)).expectNoEvents()
                    .expectException(DomainException.class)
                    .expectExceptionMessage("user:alice has no token 0123456789abcdef");
        }

        @Test
        void givenTheMostLiveTokens_whenOneMore_thenRefused() {
            Object[] given = new Object[Access.MAX_LIVE_TOKENS];
            for (int i = 0; i < given.length; i++) {
                given[i] = new ApiTokenCreated(ALICE, ApiTokenId.of(String.format("%016x", i)), "t" + i, SHA, EXPIRES);
            }
            fixture.given(given).when(new CreateApiToken(ALICE, TOKEN, "one more", SHA, EXPIRES)).expectNoEvents()
                    .expectException(DomainException.class);
        }
    }
}
