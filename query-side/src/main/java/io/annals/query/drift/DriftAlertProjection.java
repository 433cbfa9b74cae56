package io.annals.query.drift;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.drift.DriftAlertAcknowledged;
import io.annals.command.api.drift.DriftAlertEscalated;
import io.annals.command.api.drift.DriftAlertRaised;
import io.annals.command.api.drift.DriftAlertResolved;
import io.annals.command.api.drift.DriftAlertView;
import io.annals.command.api.drift.FindDriftAlerts;
import io.annals.query.elastic.Positions;
import io.annals.query.elastic.ReadModel;
import io.annals.query.elastic.ReadModelStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryUpdateEmitter;

/** Drift alerts, one document per occurrence; every change is pushed to alert subscribers. */
@ProcessingGroup(DriftAlertProjection.PROCESSING_GROUP)
public class DriftAlertProjection {

    public static final String PROCESSING_GROUP = "drift-alert-projection";
    public static final ReadModel<DriftAlertView> ALERTS = new ReadModel<>("annals-drift-alerts-v2",
            DriftAlertView.class, """
            {"id":{"type":"keyword"},"alertId":{"type":"keyword"},"endpoint":{"type":"keyword"},
             "status":{"type":"keyword"},"raisedAt":{"type":"date"},"feature":{"type":"keyword"},
             "severity":{"type":"keyword"},"finding":{"type":"object","enabled":false}}""");

    private final ReadModelStore store;
    private final QueryUpdateEmitter updates;

    public DriftAlertProjection(ReadModelStore store, QueryUpdateEmitter updates) {
        this.store = store;
        this.updates = updates;
        store.readAhead(ALERTS, event -> {
            if (event instanceof DriftAlertAcknowledged e) {
                return List.of(DriftAlertView.id(e.alertId(), e.occurrence()));
            } else if (event instanceof DriftAlertResolved e) {
                return List.of(DriftAlertView.id(e.alertId(), e.occurrence()));
            } else if (event instanceof DriftAlertEscalated e) {
                return List.of(DriftAlertView.id(e.alertId(), e.occurrence()));
            }
            return List.of();
        });
    }

    @EventHandler
    void on(DriftAlertRaised e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        DriftAlertView alert = DriftAlertView.raised(e, at, Actor.of(actor), Positions.of(token));
        emit(store.write(ALERTS, alert.id(), alert));
    }

    @EventHandler
    void on(DriftAlertAcknowledged e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        long position = Positions.of(token);
        emit(store.apply(ALERTS, DriftAlertView.id(e.alertId(), e.occurrence()), position, null,
                alert -> alert.acknowledged(at, Actor.of(actor), e.note(), position)));
    }

    @EventHandler
    void on(DriftAlertEscalated e, @Timestamp Instant at, TrackingToken token) {
        long position = Positions.of(token);
        emit(store.apply(ALERTS, DriftAlertView.id(e.alertId(), e.occurrence()), position, null,
                alert -> alert.escalated(e.finding(), at, position)));
    }

    @EventHandler
    void on(DriftAlertResolved e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        long position = Positions.of(token);
        emit(store.apply(ALERTS, DriftAlertView.id(e.alertId(), e.occurrence()), position, null,
                alert -> alert.resolved(at, Actor.of(actor), e.note(), position)));
    }

    /** Pushes a written change to the subscribers whose filter it matches; an event already applied pushes nothing. */
    private void emit(Optional<DriftAlertView> written) {
        written.ifPresent(alert -> updates.emit(FindDriftAlerts.class,
                q -> (q.status() == null || q.status() == alert.status())
                        && (q.endpoint() == null || q.endpoint().equals(alert.endpoint())), alert));
    }

    @ResetHandler
    void reset() {
        store.startGeneration(ALERTS);
    }
}
