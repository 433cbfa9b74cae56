package io.annals.query.audit;

import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.json.JsonData;
import io.annals.command.api.audit.AuditEntry;
import io.annals.command.api.audit.FindAuditEvents;
import io.annals.command.api.common.Page;
import io.annals.command.api.common.PageRequest;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Documents.Source;
import io.annals.query.elastic.Documents.Sort;
import java.util.List;
import org.axonframework.queryhandling.QueryHandler;

/** Audit search with cursor pagination over the event store's order (the global position of each event). */
public class AuditQueries {

    private final Documents documents;

    public AuditQueries(Documents documents) {
        this.documents = documents;
    }

    @QueryHandler
    Page<AuditEntry> find(FindAuditEvents query) {
        BoolQuery.Builder bool = new BoolQuery.Builder();
        term(bool, "entityKind", query.entityKind());
        term(bool, "entityId", query.entityId());
        term(bool, "actor", query.actor());
        term(bool, "type", query.eventType());
        if (query.from() != null || query.to() != null) {
            bool.filter(f -> f.range(r -> r.untyped(u -> {
                u.field("timestamp");
                if (query.from() != null) {
                    u.gte(JsonData.of(query.from().toString()));
                }
                if (query.to() != null) {
                    u.lt(JsonData.of(query.to().toString()));
                }
                return u;
            })));
        }
        return documents.page(AuditProjection.AUDIT, Query.of(q -> q.bool(bool.build())),
                List.of(Sort.asc("position")), new PageRequest(query.first(), query.after()), Source.ALL);
    }

    private static void term(BoolQuery.Builder bool, String field, String value) {
        if (value != null && !value.isBlank()) {
            bool.filter(f -> f.term(t -> t.field(field).value(value)));
        }
    }
}
