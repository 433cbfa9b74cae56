package io.annals.command.domain.drift;

import io.annals.command.api.common.DomainException;
import io.annals.command.domain.config.StreamTargetResolver;
import static io.annals.command.domain.Fixtures.RANKER;

import io.annals.command.api.drift.AcknowledgeDriftAlert;
import io.annals.command.api.drift.DriftAlertAcknowledged;
import io.annals.command.api.drift.DriftAlertId;
import io.annals.command.api.drift.DriftAlertRaised;
import io.annals.command.api.drift.DriftAlertResolved;
import io.annals.command.api.drift.DriftAlertEscalated;
import io.annals.command.api.drift.DriftFinding;
import io.annals.command.api.drift.DriftHistogram;
import io.annals.command.api.drift.DriftSeverity;
import io.annals.command.api.drift.DriftTest;
import java.util.List;
import io.annals.command.api.drift.RaiseDriftAlert;
import io.annals.command.api.drift.ResolveDriftAlert;
import io.annals.command.api.endpoint.EndpointName;
import java.time.Instant;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DriftAlertTest {

    private static final EndpointName SCORING = EndpointName.of("scoring");
    private static final DriftAlertId ID = DriftAlertId.forTarget(SCORING, RANKER, 2);
    private static final Instant END = Instant.parse("2026-11-23T10:00:00Z");

    private AggregateTestFixture<DriftAlert> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(DriftAlert.class);
        fixture.registerCommandTargetResolver(new StreamTargetResolver());
    }

    private static RaiseDriftAlert raise(double psi) {
        return new RaiseDriftAlert(ID, SCORING, RANKER, 2, psi, 0.2, 500, END);
    }

    private static DriftAlertRaised raised(int occurrence, double psi) {
        return new DriftAlertRaised(ID, occurrence, SCORING, RANKER, 2, psi, 0.2, 500, END);
    }

    @Test
    void givenNoAlert_whenRaise_thenFirstOccurrenceOpen() {
        fixture.givenNoPriorActivity().when(raise(0.4)).expectEvents(raised(1, 0.4)).expectResultMessagePayload(true);
    }

    @Test
    void givenOpenAlert_whenRaisedAgain_thenNothingNew() {
        fixture.given(raised(1, 0.4)).when(raise(0.9)).expectNoEvents().expectResultMessagePayload(false);
    }

    @Test
    void givenAcknowledgedAlert_whenRaisedAgain_thenNothingNew() {
        fixture.given(raised(1, 0.4), new DriftAlertAcknowledged(ID, 1, "looking")).when(raise(0.9))
                .expectNoEvents();
    }

    @Test
    void givenResolvedAlert_whenRaisedAgain_thenSecondOccurrence() {
        fixture.given(raised(1, 0.4), new DriftAlertResolved(ID, 1, "retrained")).when(raise(0.5))
                .expectEvents(raised(2, 0.5));
    }

    @Test
    void givenOpen_whenAcknowledged_thenAcknowledged() {
        fixture.given(raised(1, 0.4)).when(new AcknowledgeDriftAlert(ID, "on it"))
                .expectEvents(new DriftAlertAcknowledged(ID, 1, "on it"));
    }

    @Test
    void givenResolved_whenAcknowledged_thenRejected() {
        fixture.given(raised(1, 0.4), new DriftAlertResolved(ID, 1, "done"))
                .when(new AcknowledgeDriftAlert(ID, "late"))
                .expectException(DomainException.class)
                .expectExceptionMessage("drift alert scoring~ranker~v2 is resolved; only an open alert can be "
                        + "acknowledged");
    }

    @Test
    void givenResolved_whenResolvedAgain_thenRejected() {
        fixture.given(raised(1, 0.4), new DriftAlertResolved(ID, 1, "done"))
                .when(new ResolveDriftAlert(ID, "again"))
                .expectException(DomainException.class);
    }

    private static DriftFinding income(DriftSeverity severity, double distance) {
        return new DriftFinding("income", DriftTest.WASSERSTEIN_NORMED, distance, null, 0.1, 0.2, severity, 0.3, 1000,
                END.minusSeconds(60), END, new DriftHistogram(List.of("a", "b"), List.of(1.0), List.of(0.5, 0.5),
                        List.of(0.2, 0.8), 5000, 1000));
    }

    @Test
    void givenNoFeatureAlert_whenRaiseForAFeature_thenItsOwnStreamOpensWithTheFinding() {
        DriftFinding finding = income(DriftSeverity.WARNING, 0.15);
        RaiseDriftAlert raise = RaiseDriftAlert.of(SCORING, RANKER, 2, finding);
        org.assertj.core.api.Assertions.assertThat(raise.alertId()).isNotEqualTo(ID);
        fixture.givenNoPriorActivity().when(raise).expectEvents(new DriftAlertRaised(raise.alertId(), 1, SCORING,
                RANKER, 2, 0.3, 0.1, 1000, END, finding));
    }

    @Test
    void givenOpenWarning_whenCriticalFinding_thenEscalatedOnce() {
        DriftFinding warning = income(DriftSeverity.WARNING, 0.15);
        DriftFinding critical = income(DriftSeverity.CRITICAL, 0.5);
        RaiseDriftAlert first = RaiseDriftAlert.of(SCORING, RANKER, 2, warning);
        DriftAlertRaised raised = new DriftAlertRaised(first.alertId(), 1, SCORING, RANKER, 2, 0.3, 0.1, 1000, END,
                warning);
        fixture.given(raised).when(RaiseDriftAlert.of(SCORING, RANKER, 2, critical))
                .expectEvents(new DriftAlertEscalated(first.alertId(), 1, SCORING, RANKER, 2, critical))
                .expectResultMessagePayload(false);
        fixture.given(raised, new DriftAlertEscalated(first.alertId(), 1, SCORING, RANKER, 2, critical))
                .when(RaiseDriftAlert.of(SCORING, RANKER, 2, critical)).expectNoEvents();
    }

    @Test
    void givenOpenCritical_whenWarningFinding_thenNothingNew() {
        DriftFinding critical = income(DriftSeverity.CRITICAL, 0.5);
        RaiseDriftAlert first = RaiseDriftAlert.of(SCORING, RANKER, 2, critical);
        fixture.given(new DriftAlertRaised(first.alertId(), 1, SCORING, RANKER, 2, 0.3, 0.1, 1000, END, critical))
                .when(RaiseDriftAlert.of(SCORING, RANKER, 2, income(DriftSeverity.WARNING, 0.15))).expectNoEvents();
    }
}
