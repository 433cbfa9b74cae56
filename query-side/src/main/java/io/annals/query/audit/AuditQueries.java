package io.annals.query.audit;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.json.JsonData;
import io.annals.command.api.audit.AuditPage;
import io.annals.command.api.audit.FindAuditEvents;
import io.annals.query.elastic.Documents;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.axonframework.queryhandling.QueryHandler;

/** Audit search with cursor pagination over the event store's order (the global position of each event). */
public class AuditQueries {

    private final Documents documents;

    public AuditQueries(Documents documents) {
        this.documents = documents;
    }

    @QueryHandler
    AuditPage find(FindAuditEvents query) {
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
        List<FieldValue> after = query.after() == null ? null : List.of(FieldValue.of(decode(query.after())));
        List<SortOptions> sort = List.of(SortOptions.of(s -> s.field(f -> f.field("position").order(SortOrder.Asc))));
        Documents.Page page = documents.search(AuditProjection.INDEX, Query.of(q -> q.bool(bool.build())), sort,
                query.first() + 1, after);
        boolean more = page.documents().size() > query.first();
        List<Map<String, Object>> events = more ? page.documents().subList(0, query.first()) : page.documents();
        List<String> cursors = new ArrayList<>();
        for (Map<String, Object> e : events) {
            cursors.add(encode(((Number) e.get("position")).longValue()));
        }
        return new AuditPage(events, cursors, more, page.total());
    }

    private static void term(BoolQuery.Builder bool, String field, String value) {
        if (value != null && !value.isBlank()) {
            bool.filter(f -> f.term(t -> t.field(field).value(value)));
        }
    }

    static String encode(long position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("audit:" + position).getBytes(StandardCharsets.UTF_8));
    }

    static long decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith("audit:")) {
                throw new IllegalArgumentException();
            }
            return Long.parseLong(text.substring("audit:".length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + cursor + "' is not a cursor returned by an audit query");
        }
    }
}
