package io.annals.query.drift;

import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.annals.command.api.common.Page;
import io.annals.command.api.common.PageRequest;
import io.annals.command.api.drift.DriftAlertView;
import io.annals.command.api.drift.FindDriftAlert;
import io.annals.command.api.drift.FindDriftAlerts;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Documents.Source;
import io.annals.query.elastic.Documents.Sort;
import java.util.List;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;

/** Drift alerts newest first, by status and endpoint; the latest occurrence of one alert. */
public class DriftAlertQueries {

    private final Documents documents;

    public DriftAlertQueries(Documents documents) {
        this.documents = documents;
    }

    @QueryHandler
    Optional<DriftAlertView> find(FindDriftAlert query) {
        Query match = query.occurrence() == null
                ? Query.of(q -> q.term(t -> t.field("alertId").value(query.alertId().value())))
                : Query.of(q -> q.term(t -> t.field("id").value(DriftAlertView.id(query.alertId(),
                        query.occurrence()))));
        return documents.page(DriftAlertProjection.ALERTS, match,
                List.of(Sort.desc("raisedAt"), Sort.desc("id")), PageRequest.first(1), Source.ALL)
                .nodes().stream().findFirst();
    }

    @QueryHandler
    Page<DriftAlertView> find(FindDriftAlerts query) {
        BoolQuery.Builder bool = new BoolQuery.Builder();
        if (query.status() != null) {
            bool.filter(f -> f.term(t -> t.field("status").value(query.status().name())));
        }
        if (query.endpoint() != null) {
            bool.filter(f -> f.term(t -> t.field("endpoint").value(query.endpoint())));
        }
        return documents.page(DriftAlertProjection.ALERTS, Query.of(q -> q.bool(bool.build())),
                List.of(Sort.desc("raisedAt"), Sort.asc("id")), query.page(), Source.ALL);
    }
}
