package io.annals.app.graphql;

import graphql.GraphQLContext;
import io.annals.app.graphql.Mutations.UserError;
import io.annals.app.security.Caller;
import io.annals.command.api.audit.AuditEntry;
import io.annals.command.api.audit.FindAuditEvents;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.Page;
import io.annals.command.api.common.PageRequest;
import io.annals.command.api.drift.AcknowledgeDriftAlert;
import io.annals.command.api.drift.DriftAlertId;
import io.annals.command.api.drift.DriftAlertStatus;
import io.annals.command.api.drift.DriftAlertView;
import io.annals.command.api.drift.DriftHistogram;
import io.annals.command.api.drift.DriftSeverity;
import io.annals.command.api.drift.DriftTest;
import io.annals.command.api.drift.FindDriftAlert;
import io.annals.command.api.drift.FindDriftAlerts;
import io.annals.command.api.drift.ResolveDriftAlert;
import io.annals.workers.port.CommandPort;
import java.time.Instant;
import java.util.List;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;

/** Drift alerts (with their subscription) and the audit trail. */
@Controller
class DriftAndAuditController {

    private final CommandPort commands;
    private final Queries queries;

    DriftAndAuditController(CommandPort commands, Queries queries) {
        this.commands = commands;
        this.queries = queries;
    }

    record DriftAlertNoteInput(String alertId, String note) {
    }

    record AuditFilter(String entityKind, String entityId, String actor, String eventType, Instant from, Instant to) {
    }

    /** {@code alert} is resolved from the read model when asked for: the occurrence in the status it moved to. */
    record DriftAlertPayload(DriftAlertId target, DriftAlertStatus status, List<UserError> errors) {
    }

    @QueryMapping
    Page<DriftAlertView> driftAlerts(@Argument DriftAlertStatus status, @Argument String endpoint,
                                     @Argument Integer first, @Argument String after) {
        return queries.page(new FindDriftAlerts(status, endpoint, Queries.request(first, after)),
                DriftAlertView.class);
    }

    @QueryMapping
    DriftAlertView driftAlert(@Argument String id) {
        int hash = id.lastIndexOf('#');
        if (hash < 0) {
            return queries.one(new FindDriftAlert(DriftAlertId.of(id)), DriftAlertView.class).orElse(null);
        }
        int occurrence;
        try {
            occurrence = Integer.parseInt(id.substring(hash + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        return queries.one(new FindDriftAlert(DriftAlertId.of(id.substring(0, hash)), occurrence),
                DriftAlertView.class).orElse(null);
    }

    /** An alert recorded before feature drift compared the score by PSI and had no histogram. */
    @SchemaMapping(typeName = "DriftAlert", field = "test")
    DriftTest test(DriftAlertView alert) {
        return alert.finding() == null ? DriftTest.PSI : alert.finding().test();
    }

    @SchemaMapping(typeName = "DriftAlert", field = "severity")
    DriftSeverity severity(DriftAlertView alert) {
        return alert.severity() == null ? DriftSeverity.WARNING : alert.severity();
    }

    @SchemaMapping(typeName = "DriftAlert", field = "statistic")
    double statistic(DriftAlertView alert) {
        return alert.finding() == null ? alert.psi() : alert.finding().statistic();
    }

    @SchemaMapping(typeName = "DriftAlert", field = "pValue")
    Double pValue(DriftAlertView alert) {
        return alert.finding() == null ? null : alert.finding().pValue();
    }

    @SchemaMapping(typeName = "DriftAlert", field = "criticalThreshold")
    Double criticalThreshold(DriftAlertView alert) {
        return alert.finding() == null ? null : alert.finding().criticalThreshold();
    }

    @SchemaMapping(typeName = "DriftAlert", field = "windowStart")
    Instant windowStart(DriftAlertView alert) {
        return alert.finding() == null ? null : alert.finding().windowStart();
    }

    @SchemaMapping(typeName = "DriftAlert", field = "histogram")
    DriftHistogram histogram(DriftAlertView alert) {
        return alert.finding() == null ? null : alert.finding().histogram();
    }

    @SubscriptionMapping(name = "driftAlerts")
    Flux<DriftAlertView> driftAlertsSubscription(@Argument String endpoint) {
        SubscriptionQueryResult<Page<DriftAlertView>, DriftAlertView> result = queries.gateway().subscriptionQuery(
                new FindDriftAlerts(null, endpoint, PageRequest.first(1)), PageResponseType.of(DriftAlertView.class),
                ResponseTypes.instanceOf(DriftAlertView.class));
        return Monotonic.perKey(result.updates(), DriftAlertView::id).doFinally(signal -> result.close());
    }

    @MutationMapping
    DriftAlertPayload acknowledgeDriftAlert(@Argument DriftAlertNoteInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("drift alert '" + input.alertId() + "' does not exist", null, () -> {
            DriftAlertId id = DriftAlertId.of(input.alertId());
            commands.send(new AcknowledgeDriftAlert(id, input.note()), actor, null);
            return new DriftAlertPayload(id, DriftAlertStatus.ACKNOWLEDGED, List.of());
        }, errors -> new DriftAlertPayload(null, null, errors));
    }

    @MutationMapping
    DriftAlertPayload resolveDriftAlert(@Argument DriftAlertNoteInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("drift alert '" + input.alertId() + "' does not exist", null, () -> {
            DriftAlertId id = DriftAlertId.of(input.alertId());
            commands.send(new ResolveDriftAlert(id, input.note()), actor, null);
            return new DriftAlertPayload(id, DriftAlertStatus.RESOLVED, List.of());
        }, errors -> new DriftAlertPayload(null, null, errors));
    }

    @SchemaMapping(typeName = "DriftAlertPayload", field = "alert")
    DriftAlertView changed(DriftAlertPayload payload) {
        if (payload.target() == null) {
            return null;
        }
        return ReadYourWrites.await("drift alert " + payload.target() + " " + payload.status().name().toLowerCase(),
                () -> queries.one(new FindDriftAlert(payload.target()), DriftAlertView.class),
                a -> a.status() == payload.status());
    }

    @QueryMapping
    Page<AuditEntry> auditEvents(@Argument AuditFilter filter, @Argument Integer first, @Argument String after) {
        AuditFilter f = filter == null ? new AuditFilter(null, null, null, null, null, null) : filter;
        return queries.page(new FindAuditEvents(f.entityKind(), f.entityId(), f.actor(), f.eventType(), f.from(),
                f.to(), first == null ? Queries.DEFAULT_PAGE : first, after), AuditEntry.class);
    }
}
