package io.annals.app.graphql;

import graphql.GraphQLContext;
import io.annals.app.security.Caller;
import io.annals.query.elastic.View;
import io.annals.command.api.audit.AuditPage;
import io.annals.command.api.audit.FindAuditEvents;
import io.annals.command.api.drift.AcknowledgeDriftAlert;
import io.annals.command.api.drift.DriftAlertId;
import io.annals.command.api.drift.FindDriftAlerts;
import io.annals.command.api.drift.ResolveDriftAlert;
import io.annals.workers.port.CommandPort;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;

/** Drift alerts (with their subscription) and the audit trail. */
@Controller
class DriftAndAuditController {

    private final CommandPort commands;
    private final QueryGateway queries;

    DriftAndAuditController(CommandPort commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    record DriftAlertNoteInput(String alertId, String note) {
    }

    record AuditFilter(String entityKind, String entityId, String actor, String eventType, String from, String to) {
    }

    @QueryMapping
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Map<String, Object>> driftAlerts(@Argument String status, GraphQLContext context) {
        Caller.require(context);
        return (List) queries.query(new FindDriftAlerts(status), ResponseTypes.multipleInstancesOf(View.class)).join();
    }

    @SubscriptionMapping(name = "driftAlerts")
    @SuppressWarnings({"unchecked", "rawtypes"})
    Flux<Map<String, Object>> driftAlertsSubscription(@Argument String endpoint, GraphQLContext context) {
        Caller.require(context);
        SubscriptionQueryResult<List<View>, View> result = queries.subscriptionQuery(new FindDriftAlerts(null),
                ResponseTypes.multipleInstancesOf(View.class), ResponseTypes.instanceOf(View.class));
        return Monotonic.perKey(result.updates().map(alert -> (Map<String, Object>) alert)
                        .filter(alert -> endpoint == null || endpoint.equals(alert.get("endpoint"))),
                        alert -> String.valueOf(alert.get("id")))
                .doFinally(signal -> result.close());
    }

    @MutationMapping
    Map<String, Object> acknowledgeDriftAlert(@Argument DriftAlertNoteInput input, GraphQLContext context) {
        String actor = Caller.require(context);
        return Mutations.run("drift alert '" + input.alertId() + "' does not exist", null, () -> {
            commands.send(new AcknowledgeDriftAlert(DriftAlertId.of(input.alertId()), input.note()), actor, null);
            return Mutations.result("alertId", input.alertId());
        });
    }

    @MutationMapping
    Map<String, Object> resolveDriftAlert(@Argument DriftAlertNoteInput input, GraphQLContext context) {
        String actor = Caller.require(context);
        return Mutations.run("drift alert '" + input.alertId() + "' does not exist", null, () -> {
            commands.send(new ResolveDriftAlert(DriftAlertId.of(input.alertId()), input.note()), actor, null);
            return Mutations.result("alertId", input.alertId());
        });
    }

    @QueryMapping
    Map<String, Object> auditEvents(@Argument AuditFilter filter, @Argument Integer first, @Argument String after,
                                    GraphQLContext context) {
        Caller.require(context);
        AuditFilter f = filter == null ? new AuditFilter(null, null, null, null, null, null) : filter;
        AuditPage page = queries.query(new FindAuditEvents(f.entityKind(), f.entityId(), f.actor(), f.eventType(),
                instant("from", f.from()), instant("to", f.to()), first == null ? 50 : first, after),
                ResponseTypes.instanceOf(AuditPage.class)).join();
        List<Map<String, Object>> edges = new ArrayList<>();
        for (int i = 0; i < page.events().size(); i++) {
            edges.add(Map.of("cursor", page.cursors().get(i), "node", page.events().get(i)));
        }
        Map<String, Object> pageInfo = new java.util.HashMap<>();
        pageInfo.put("hasNextPage", page.hasNextPage());
        pageInfo.put("endCursor", page.cursors().isEmpty() ? null : page.cursors().get(page.cursors().size() - 1));
        return Map.of("edges", edges, "pageInfo", pageInfo, "totalCount", page.totalCount());
    }

    private static Instant instant(String field, String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("filter." + field + " '" + value + "' is not an ISO-8601 instant "
                    + "such as 2026-11-23T10:15:30Z");
        }
    }
}
