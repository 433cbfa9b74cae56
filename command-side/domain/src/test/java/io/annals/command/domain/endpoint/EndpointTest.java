package io.annals.command.domain.endpoint;

import io.annals.command.api.common.DomainException;
import io.annals.command.domain.config.StreamTargetResolver;
import static io.annals.command.domain.Fixtures.RANKER;

import io.annals.command.api.endpoint.ConfigureDriftMonitor;
import io.annals.command.api.endpoint.AutomaticRollbackDeclined;
import io.annals.command.api.endpoint.DeployModelVersion;
import io.annals.command.api.endpoint.RollBackOnDriftAlert;
import io.annals.command.api.endpoint.RolloutPolicyConfigured;
import io.annals.command.api.endpoint.DriftMonitorConfigured;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.endpoint.EndpointRevisionDeployed;
import io.annals.command.api.endpoint.EndpointRolledBack;
import io.annals.command.api.endpoint.RollBackEndpoint;
import io.annals.command.api.endpoint.ServingTarget;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.domain.model.ModelCatalog;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EndpointTest {

    private static final EndpointName SCORING = EndpointName.of("scoring");

    private AggregateTestFixture<Endpoint> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Endpoint.class);
        fixture.registerCommandTargetResolver(new StreamTargetResolver());
        fixture.registerInjectableResource(new ModelCatalog() {
            @Override
            public Optional<ModelVersionRegistered> version(io.annals.command.api.model.ModelName model, int v) {
                return model.equals(RANKER) && v >= 1 && v <= 3 ? Optional.of(EndpointTest.version(v))
                        : Optional.empty();
            }

            @Override
            public Optional<ModelVersionRegistered> aliased(io.annals.command.api.model.ModelName model,
                                                            String alias) {
                return model.equals(RANKER) && alias.equals("champion") ? Optional.of(EndpointTest.version(2))
                        : Optional.empty();
            }

            @Override
            public Optional<ModelVersionRegistered> latest(io.annals.command.api.model.ModelName model) {
                return version(model, 3);
            }
        });
    }

    private static ModelVersionRegistered version(int v) {
        return io.annals.command.domain.Fixtures.version(v);
    }

    private static List<ServingTarget> targets(int v) {
        ModelVersionRegistered registered = version(v);
        return List.of(new ServingTarget(RANKER, v, 100, registered.artifact(), registered.features()));
    }

    private static EndpointRevisionDeployed deployed(int revision, int v) {
        return new EndpointRevisionDeployed(SCORING, revision, targets(v), "release " + v);
    }

    @Nested
    class Deploy {

        @Test
        void givenNoEndpoint_whenDeploy_thenFirstRevision() {
            fixture.givenNoPriorActivity()
                    .when(DeployModelVersion.version(SCORING, RANKER, 1, "release 1"))
                    .expectEvents(deployed(1, 1))
                    .expectResultMessagePayload(1);
        }

        @Test
        void givenNoSuchVersion_whenDeploy_thenRejected() {
            fixture.givenNoPriorActivity()
                    .when(DeployModelVersion.version(SCORING, RANKER, 7, "oops"))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("model 'ranker' has no version 7")
                    .expectNoEvents();
        }

        @Test
        void givenAlias_whenDeployedByAlias_thenTheVersionItPointsAtIsRecorded() {
            fixture.given(deployed(1, 1))
                    .when(new DeployModelVersion(SCORING, RANKER, null, "champion", 100, "release 2"))
                    .expectEvents(deployed(2, 2));
        }

        @Test
        void givenUnknownAlias_whenDeployedByAlias_thenRejected() {
            fixture.givenNoPriorActivity()
                    .when(new DeployModelVersion(SCORING, RANKER, null, "nightly", 100, "x"))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("model 'ranker' has no alias 'nightly'")
                    .expectNoEvents();
        }

        @Test
        void givenVersionLive_whenCanaryDeployed_thenTrafficIsSplitWithTheServingVersion() {
            ModelVersionRegistered v1 = version(1);
            ModelVersionRegistered v2 = version(2);
            fixture.given(deployed(1, 1))
                    .when(new DeployModelVersion(SCORING, RANKER, 2, null, 10, "canary"))
                    .expectEvents(new EndpointRevisionDeployed(SCORING, 2, List.of(
                            new ServingTarget(RANKER, 1, 90, v1.artifact(), v1.features()),
                            new ServingTarget(RANKER, 2, 10, v2.artifact(), v2.features())), "canary"));
        }

        @Test
        void givenNothingServing_whenCanaryDeployed_thenRejected() {
            fixture.givenNoPriorActivity()
                    .when(new DeployModelVersion(SCORING, RANKER, 2, null, 10, "canary"))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("endpoint 'scoring' serves nothing yet; a canary of 10% needs a version "
                            + "to share the traffic with")
                    .expectNoEvents();
        }

        @Test
        void givenVersionLive_whenItIsDeployedAsItsOwnCanary_thenRejected() {
            fixture.given(deployed(1, 1))
                    .when(new DeployModelVersion(SCORING, RANKER, 1, null, 10, "canary"))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("model 'ranker' version 1 is the version serving now; a canary needs "
                            + "another version");
        }

        @Test
        void givenVersionLive_whenDeployedAgain_thenRejected() {
            fixture.given(deployed(1, 1))
                    .when(DeployModelVersion.version(SCORING, RANKER, 1, "again"))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("endpoint 'scoring' already serves model 'ranker' version 1")
                    .expectNoEvents();
        }
    }

    @Nested
    class RollBack {

        @Test
        void givenOneRevision_whenRollBack_thenRejected() {
            fixture.given(deployed(1, 1))
                    .when(new RollBackEndpoint(SCORING, "bad", null))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("endpoint 'scoring' has no earlier revision to roll back to")
                    .expectNoEvents();
        }

        @Test
        void givenTwoRevisions_whenRollBack_thenNewRevisionRestoresThePrevious() {
            fixture.given(deployed(1, 1), deployed(2, 2))
                    .when(new RollBackEndpoint(SCORING, "drift", null))
                    .expectEvents(new EndpointRolledBack(SCORING, 2, 1, 3, targets(1), "drift"))
                    .expectResultMessagePayload(3);
        }

        @Test
        void givenRolledBackOnce_whenRollBackAgain_thenGoesFurtherBack() {
            fixture.given(deployed(1, 1), deployed(2, 2), deployed(3, 3),
                            new EndpointRolledBack(SCORING, 3, 2, 4, targets(2), "first"))
                    .when(new RollBackEndpoint(SCORING, "second", null))
                    .expectEvents(new EndpointRolledBack(SCORING, 4, 1, 5, targets(1), "second"));
        }

        @Test
        void givenRolledBackToFirst_whenRollBackAgain_thenRejected() {
            fixture.given(deployed(1, 1), deployed(2, 2), new EndpointRolledBack(SCORING, 2, 1, 3, targets(1), "x"))
                    .when(new RollBackEndpoint(SCORING, "again", null))
                    .expectException(DomainException.class)
                    .expectNoEvents();
        }

        @Test
        void givenHistory_whenRollBackAsOfATime_thenRestoresWhatWasLiveThen() {
            Instant t1 = Instant.parse("2026-11-01T00:00:00Z");
            fixture.given(deployed(1, 1))
                    .andGivenCurrentTime(t1.plusSeconds(3600))
                    .andGiven(deployed(2, 2))
                    .andGivenCurrentTime(t1.plusSeconds(7200))
                    .andGiven(deployed(3, 3))
                    .when(new RollBackEndpoint(SCORING, "as of", t1.plusSeconds(5000)))
                    .expectEvents(new EndpointRolledBack(SCORING, 3, 2, 4, targets(2), "as of"));
        }

        @Test
        void givenNoEndpoint_whenRollBack_thenRejected() {
            fixture.givenNoPriorActivity()
                    .when(new RollBackEndpoint(SCORING, "bad", null))
                    .expectException(AggregateNotFoundException.class);
        }
    }

    @Test
    void givenEndpoint_whenConfigureDriftMonitor_thenConfigured() {
        fixture.given(deployed(1, 1))
                .when(new ConfigureDriftMonitor(SCORING, 0.25, 200))
                .expectEvents(new DriftMonitorConfigured(SCORING, 0.25, 200));
    }

    @Nested
    class AutomaticRollback {

        private static final String ALERT = "scoring~ranker~v2#1";

        private RollBackOnDriftAlert alert(int v, double psi, java.time.Instant raisedAt) {
            return new RollBackOnDriftAlert(SCORING, ALERT, RANKER, v, psi, raisedAt);
        }

        private java.time.Instant later() {
            return fixture.currentTime().plusSeconds(60);
        }

        @Test
        void givenThePolicy_whenTheVersionDeployedLastDrifts_thenRolledBackNamingTheAlert_once() {
            fixture.given(deployed(1, 1), deployed(2, 2), new RolloutPolicyConfigured(SCORING, true, 0.3))
                    .when(alert(2, 0.5, later()))
                    .expectEvents(new EndpointRolledBack(SCORING, 2, 1, 3, targets(1),
                            "automatic rollback: drift alert " + ALERT + " on model 'ranker' version 2 (PSI 0.500)",
                            ALERT))
                    .expectResultMessagePayload(true);
            fixture.given(deployed(1, 1), deployed(2, 2), new RolloutPolicyConfigured(SCORING, true, 0.3),
                            new EndpointRolledBack(SCORING, 2, 1, 3, targets(1), "automatic", ALERT))
                    .when(alert(2, 0.5, later())).expectNoEvents().expectResultMessagePayload(false);
        }

        @Test
        void givenThePolicy_whenAWeakAlertOrAnotherVersion_thenDeclinedWithTheReason() {
            fixture.given(deployed(1, 1), deployed(2, 2), new RolloutPolicyConfigured(SCORING, true, 0.3))
                    .when(alert(2, 0.25, later()))
                    .expectEvents(new AutomaticRollbackDeclined(SCORING, ALERT,
                            "its PSI 0.25 is below the policy's 0.3"));
            fixture.given(deployed(1, 1), deployed(2, 2), new RolloutPolicyConfigured(SCORING, true, null))
                    .when(alert(1, 0.9, later()))
                    .expectEvents(new AutomaticRollbackDeclined(SCORING, ALERT, "it names model 'ranker' version 1, "
                            + "not the version deployed last (model 'ranker' version 2)"));
        }

        @Test
        void withoutThePolicy_orForAnAlertFromBeforeIt_thenNothing() {
            fixture.given(deployed(1, 1), deployed(2, 2)).when(alert(2, 0.9, later())).expectNoEvents()
                    .expectResultMessagePayload(false);
            fixture.given(deployed(1, 1), deployed(2, 2), new RolloutPolicyConfigured(SCORING, true, null))
                    .when(alert(2, 0.9, fixture.currentTime().minusSeconds(3600))).expectNoEvents();
            fixture.given(deployed(1, 1), deployed(2, 2), new RolloutPolicyConfigured(SCORING, true, null),
                            new RolloutPolicyConfigured(SCORING, false, null))
                    .when(alert(2, 0.9, later())).expectNoEvents();
        }
    }
}
