package io.annals.query.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.annals.command.api.drift.DriftAlertAcknowledged;
import io.annals.command.api.drift.DriftAlertId;
import io.annals.command.api.drift.DriftAlertRaised;
import io.annals.command.api.drift.DriftAlertResolved;
import io.annals.command.api.drift.DriftAlertStatus;
import io.annals.command.api.drift.DriftAlertView;
import io.annals.command.api.drift.FindDriftAlerts;
import io.annals.command.api.common.PageRequest;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.model.ModelName;
import io.annals.query.elastic.InMemoryReadModels;
import java.time.Instant;
import java.util.function.Predicate;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class DriftAlertProjectionTest {

    private static final EndpointName SCORING = EndpointName.of("scoring");
    private static final ModelName RISK = ModelName.of("risk");
    private static final DriftAlertId ALERT = DriftAlertId.forTarget(SCORING, RISK, 2);
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final InMemoryReadModels store = new InMemoryReadModels();
    private final QueryUpdateEmitter updates = mock(QueryUpdateEmitter.class);
    private final DriftAlertProjection projection = new DriftAlertProjection(store, updates);

    private void raised(int occurrence, long position) {
        projection.on(new DriftAlertRaised(ALERT, occurrence, SCORING, RISK, 2, 0.41, 0.2, 500, T0), T0,
                "service:drift-monitor", new GlobalSequenceTrackingToken(position));
    }

    @Test
    void givenAnAlertRaisedAcknowledgedResolvedAndRaisedAgain_thenEachOccurrenceIsItsOwnDocument() {
        raised(1, 1);
        projection.on(new DriftAlertAcknowledged(ALERT, 1, "looking"), T0.plusSeconds(10), "user:alice",
                new GlobalSequenceTrackingToken(2));
        projection.on(new DriftAlertResolved(ALERT, 1, "rolled back"), T0.plusSeconds(20), "user:alice",
                new GlobalSequenceTrackingToken(3));
        raised(2, 4);

        DriftAlertView first = store.one(DriftAlertProjection.ALERTS, ALERT.value() + "#1");
        assertThat(first.status()).isEqualTo(DriftAlertStatus.RESOLVED);
        assertThat(first.acknowledgedBy().value()).isEqualTo("user:alice");
        assertThat(first.resolvedAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(first.note()).isEqualTo("rolled back");
        assertThat(first.psi()).isEqualTo(0.41);
        DriftAlertView second = store.one(DriftAlertProjection.ALERTS, ALERT.value() + "#2");
        assertThat(second.status()).isEqualTo(DriftAlertStatus.OPEN);
        assertThat(second.raisedBy().value()).isEqualTo("service:drift-monitor");
    }

    private static io.annals.command.api.drift.DriftFinding finding(io.annals.command.api.drift.DriftSeverity severity,
                                                                   double distance) {
        return new io.annals.command.api.drift.DriftFinding("income",
                io.annals.command.api.drift.DriftTest.WASSERSTEIN_NORMED, distance, null, 0.1, 0.2, severity, 0.5, 400,
                T0.minusSeconds(60), T0, new io.annals.command.api.drift.DriftHistogram(java.util.List.of("low", "high"),
                java.util.List.of(0.0), java.util.List.of(0.5, 0.5), java.util.List.of(0.1, 0.9), 2_000, 400));
    }

    @Test
    void givenAFeatureAlertEscalated_thenItsDocumentNamesTheFeatureAndHoldsTheWorseFinding() {
        DriftAlertId income = DriftAlertId.forTarget(SCORING, RISK, 2, "income");
        var warning = finding(io.annals.command.api.drift.DriftSeverity.WARNING, 0.15);
        var critical = finding(io.annals.command.api.drift.DriftSeverity.CRITICAL, 0.9);
        projection.on(new DriftAlertRaised(income, 1, SCORING, RISK, 2, 0.5, 0.1, 400, T0, warning), T0,
                "service:drift-monitor", new GlobalSequenceTrackingToken(1));
        projection.on(new io.annals.command.api.drift.DriftAlertEscalated(income, 1, SCORING, RISK, 2, critical),
                T0.plusSeconds(30),
                new GlobalSequenceTrackingToken(2));

        DriftAlertView alert = store.one(DriftAlertProjection.ALERTS, income.value() + "#1");
        assertThat(alert.feature()).isEqualTo("income");
        assertThat(alert.severity()).isEqualTo(io.annals.command.api.drift.DriftSeverity.CRITICAL);
        assertThat(alert.finding()).isEqualTo(critical);
        assertThat(alert.escalatedAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(alert.status()).isEqualTo(DriftAlertStatus.OPEN);
        assertThat(alert.raisedAt()).isEqualTo(T0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenSubscribersFilteringByStatusAndEndpoint_thenEachGetsOnlyMatchingChanges() {
        raised(1, 1);
        ArgumentCaptor<Predicate<FindDriftAlerts>> filter = ArgumentCaptor.forClass(Predicate.class);
        verify(updates).emit(eq(FindDriftAlerts.class), filter.capture(), any(DriftAlertView.class));

        PageRequest one = PageRequest.first(1);
        assertThat(filter.getValue().test(new FindDriftAlerts(null, null, one))).isTrue();
        assertThat(filter.getValue().test(new FindDriftAlerts(DriftAlertStatus.OPEN, "scoring", one))).isTrue();
        assertThat(filter.getValue().test(new FindDriftAlerts(DriftAlertStatus.RESOLVED, null, one))).isFalse();
        assertThat(filter.getValue().test(new FindDriftAlerts(null, "other", one))).isFalse();
    }

    @Test
    void givenAnEventDeliveredTwice_thenSubscribersGetItOnce() {
        raised(1, 1);
        raised(1, 1);
        verify(updates, times(1)).emit(eq(FindDriftAlerts.class), any(Predicate.class), any(DriftAlertView.class));
    }
}
