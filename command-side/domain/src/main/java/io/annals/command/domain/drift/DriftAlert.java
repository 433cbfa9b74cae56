package io.annals.command.domain.drift;

import io.annals.command.api.common.DomainException;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.annals.command.api.common.StreamId;
import io.annals.command.api.drift.AcknowledgeDriftAlert;
import io.annals.command.api.drift.DriftAlertAcknowledged;
import io.annals.command.api.drift.DriftAlertEscalated;
import io.annals.command.api.drift.DriftAlertId;
import io.annals.command.api.drift.DriftAlertRaised;
import io.annals.command.api.drift.DriftAlertStatus;
import io.annals.command.api.drift.DriftAlertResolved;
import io.annals.command.api.drift.DriftSeverity;
import io.annals.command.api.drift.RaiseDriftAlert;
import io.annals.command.api.drift.ResolveDriftAlert;
import io.annals.command.domain.config.StreamTargetResolver;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * The drift alerts of one endpoint, model version and feature (or its score). At most one is open at a time: raising
 * while one is open or acknowledged changes nothing, so the monitor may report every drifting window without flooding
 * anyone; only a critical finding on an open warning escalates it (once).
 */
@Aggregate(commandTargetResolver = StreamTargetResolver.BEAN)
public class DriftAlert {

    /** {@code <kind>:<name>}: each kind of entity has its own identifier space in the event store. */
    @AggregateIdentifier
    private String streamId;
    private DriftAlertId alertId;
    private int occurrence;
    /** Null until the first alert of this stream is raised. */
    private DriftAlertStatus status;
    private DriftSeverity severity;

    protected DriftAlert() {
    }

    /** Returns true when this raised a new alert, false when one was already open (escalated or not). */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public boolean handle(RaiseDriftAlert command) {
        if (status == DriftAlertStatus.OPEN || status == DriftAlertStatus.ACKNOWLEDGED) {
            if (command.severity().compareTo(severity) > 0) {
                apply(new DriftAlertEscalated(alertId, occurrence, command.endpoint(), command.model(),
                        command.version(), command.finding()));
            }
            return false;
        }
        apply(new DriftAlertRaised(command.alertId(), occurrence + 1, command.endpoint(), command.model(),
                command.version(), command.psi(), command.threshold(), command.windowSize(), command.windowEnd(),
                command.finding()));
        return true;
    }

    @CommandHandler
    public void handle(AcknowledgeDriftAlert command) {
        if (status != DriftAlertStatus.OPEN) {
            throw DomainException.conflict("drift alert " + alertId + " is " + status.name().toLowerCase()
                    + "; only an open alert can be acknowledged");
        }
        apply(new DriftAlertAcknowledged(alertId, occurrence, command.note()));
    }

    @CommandHandler
    public void handle(ResolveDriftAlert command) {
        if (status != DriftAlertStatus.OPEN && status != DriftAlertStatus.ACKNOWLEDGED) {
            throw DomainException.conflict("drift alert " + alertId + " is " + status.name().toLowerCase()
                    + "; only an open or acknowledged alert can be resolved");
        }
        apply(new DriftAlertResolved(alertId, occurrence, command.note()));
    }

    @EventSourcingHandler
    void on(DriftAlertRaised event) {
        alertId = event.alertId();
        streamId = StreamId.of(alertId).toString();
        occurrence = event.occurrence();
        status = DriftAlertStatus.OPEN;
        severity = event.severity();
    }

    @EventSourcingHandler
    void on(DriftAlertEscalated event) {
        severity = event.finding().severity();
    }

    @EventSourcingHandler
    void on(DriftAlertAcknowledged event) {
        status = DriftAlertStatus.ACKNOWLEDGED;
    }

    @EventSourcingHandler
    void on(DriftAlertResolved event) {
        status = DriftAlertStatus.RESOLVED;
    }
}
