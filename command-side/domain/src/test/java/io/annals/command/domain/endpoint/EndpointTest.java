package io.annals.command.domain.endpoint;

import io.annals.command.api.common.DomainException;
import io.annals.command.domain.config.StreamTargetResolver;
import static io.annals.command.domain.Fixtures.RANKER;

import io.annals.command.api.endpoint.ConfigureDriftMonitor;
import io.annals.command.api.endpoint.AutomaticRollbackDeclined;
import io.annals.command.api.endpoint.DeployModelVersion;
import io.annals.command.api.endpoint.DeploymentMode;
import io.annals.command.api.endpoint.RecordShadowComparison;
import io.annals.command.api.endpoint.ShadowComparison;
import io.annals.command.api.endpoint.ShadowComparisonRecorded;
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
                return model.equals(RANKER) && v >= 1 && v <= 4 ? Optional.of(EndpointTest.version(v))
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

    /** Versions 1 to 3 read x1 and x2; version 4 reads x1 and x3. */
    private static ModelVersionRegistered version(int v) {
        ModelVersionRegistered registered = io.annals.command.domain.Fixtures.version(v);
        return v != 4 ? registered : new ModelVersionRegistered(registered.model(), 4, registered.runId(),
                registered.task(), List.of("x1", "x3"), registered.artifact(), registered.metrics(),
                registered.baseline());
    }

    private static ServingTarget target(int v, int percent, boolean shadow) {
        ModelVersionRegistered registered = version(v);
        return new ServingTarget(RANKER, v, percent, registered.artifact(), registered.features(), null, shadow);
    }

    private static DeployModelVersion shadow(int v, int percent) {
        return new DeployModelVersion(SCORING, RANKER, v, null, percent, "shadow " + v, DeploymentMode.SHADOW);
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
                .expectEvents(new DriftMonitorConfigured(SCORING, 0.25, 200, 900, 0.5, java.util.List.of()));
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
        void givenAPolicyForCriticalAlerts_whenAWarning_thenDeclined_andWhenItEscalates_thenRolledBack() {
            RolloutPolicyConfigured critical = new RolloutPolicyConfigured(SCORING, true, null,
                    io.annals.command.api.drift.DriftSeverity.CRITICAL);
            fixture.given(deployed(1, 1), deployed(2, 2), critical)
                    .when(new RollBackOnDriftAlert(SCORING, ALERT, RANKER, 2, 0.5, later(),
                            io.annals.command.api.drift.DriftSeverity.WARNING))
                    .expectEvents(new AutomaticRollbackDeclined(SCORING, ALERT,
                            "it is a WARNING, below the policy's CRITICAL"));
            fixture.given(deployed(1, 1), deployed(2, 2), critical,
                            new AutomaticRollbackDeclined(SCORING, ALERT, "it is a WARNING, below the policy's CRITICAL"))
                    .when(new RollBackOnDriftAlert(SCORING, ALERT + "/escalated", RANKER, 2, 0.9, later(),
                            io.annals.command.api.drift.DriftSeverity.CRITICAL))
                    .expectResultMessagePayload(true);
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

    @Nested
    class Shadow {

        @Test
        void givenAVersionLive_whenAnotherIsDeployedAsShadow_thenTheLiveOneKeepsAnsweringAndTheShadowIsAdded() {
            fixture.given(deployed(1, 1))
                    .when(shadow(2, 25))
                    .expectEvents(new EndpointRevisionDeployed(SCORING, 2, List.of(target(1, 100, false),
                            target(2, 25, true)), "shadow 2"))
                    .expectResultMessagePayload(2);
        }

        @Test
        void givenACanary_whenAShadowIsDeployed_thenBothAnsweringVersionsKeepTheirShares() {
            fixture.given(deployed(1, 1), new EndpointRevisionDeployed(SCORING, 2, List.of(target(1, 90, false),
                            target(2, 10, false)), "canary"))
                    .when(shadow(3, 100))
                    .expectEvents(new EndpointRevisionDeployed(SCORING, 3, List.of(target(1, 90, false),
                            target(2, 10, false), target(3, 100, true)), "shadow 3"));
        }

        @Test
        void givenAShadow_whenAnotherShadowIsDeployed_thenItReplacesTheFirst() {
            fixture.given(deployed(1, 1), new EndpointRevisionDeployed(SCORING, 2, List.of(target(1, 100, false),
                            target(2, 25, true)), "shadow 2"))
                    .when(shadow(3, 50))
                    .expectEvents(new EndpointRevisionDeployed(SCORING, 3, List.of(target(1, 100, false),
                            target(3, 50, true)), "shadow 3"));
        }

        @Test
        void givenAShadow_whenACanaryIsDeployed_thenItSplitsWithTheAnsweringVersionAndTheShadowEnds() {
            fixture.given(deployed(1, 1), new EndpointRevisionDeployed(SCORING, 2, List.of(target(1, 100, false),
                            target(2, 25, true)), "shadow 2"))
                    .when(new DeployModelVersion(SCORING, RANKER, 2, null, 10, "canary"))
                    .expectEvents(new EndpointRevisionDeployed(SCORING, 3, List.of(target(1, 90, false),
                            target(2, 10, false)), "canary"));
        }

        @Test
        void givenNothingLive_whenAShadowIsDeployed_thenRefused() {
            fixture.givenNoPriorActivity()
                    .when(shadow(1, 100))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("endpoint 'scoring' serves nothing yet; a shadow needs a version that "
                            + "answers the requests it mirrors")
                    .expectNoEvents();
        }

        @Test
        void givenAVersionLive_whenItIsDeployedAsItsOwnShadow_thenRefused() {
            fixture.given(deployed(1, 1))
                    .when(shadow(1, 100))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("model 'ranker' version 1 answers requests on endpoint 'scoring' now; a "
                            + "shadow needs another version")
                    .expectNoEvents();
        }

        @Test
        void givenAShadowReadingAFeatureTheLiveVersionIsNotSent_whenDeployed_thenRefused() {
            fixture.given(deployed(1, 1))
                    .when(shadow(4, 100))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("model 'ranker' version 4 reads features [x3] that model 'ranker' "
                            + "version 1 does not, so its requests cannot be mirrored to it")
                    .expectNoEvents();
        }

        @Test
        void givenTheSameShadow_whenDeployedAgain_thenRefused() {
            fixture.given(deployed(1, 1), new EndpointRevisionDeployed(SCORING, 2, List.of(target(1, 100, false),
                            target(2, 25, true)), "shadow 2"))
                    .when(shadow(2, 25))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("endpoint 'scoring' already serves model 'ranker' version 2 as a shadow "
                            + "of 25%")
                    .expectNoEvents();
        }

        @Test
        void givenAShadow_whenRolledBack_thenTheRevisionBeforeItIsRestored() {
            fixture.given(deployed(1, 1), new EndpointRevisionDeployed(SCORING, 2, List.of(target(1, 100, false),
                            target(2, 25, true)), "shadow 2"))
                    .when(new RollBackEndpoint(SCORING, "shadow is wrong", null))
                    .expectEvents(new EndpointRolledBack(SCORING, 2, 1, 3, targets(1), "shadow is wrong"));
        }

        @Test
        void givenAComparisonWindow_whenRecordedTwice_thenItIsRecordedOnce() {
            ShadowComparison window = new ShadowComparison("ranker", 2, "ranker", 1, 500, 0.97, 0.02, 0.51, 0.5,
                    Instant.parse("2026-12-01T10:00:00Z"));
            fixture.given(deployed(1, 1), new EndpointRevisionDeployed(SCORING, 2, List.of(target(1, 100, false),
                            target(2, 25, true)), "shadow 2"),
                            new ShadowComparisonRecorded(SCORING, "ranker@2/req-1/0", window))
                    .when(new RecordShadowComparison(SCORING, "ranker@2/req-1/0", window))
                    .expectNoEvents();
            fixture.given(deployed(1, 1))
                    .when(new RecordShadowComparison(SCORING, "ranker@2/req-9/3", window))
                    .expectEvents(new ShadowComparisonRecorded(SCORING, "ranker@2/req-9/3", window));
        }
    }
}
