package io.annals.query.elastic;

import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small helpers the read-model classes share. */
public final class Views {

    private Views() {
    }

    /** Documents of an index, newest first by a date field; {@code filter} may be null. */
    public static List<Map<String, Object>> newestFirst(Documents documents, String index, String dateField,
                                                        Query filter, int limit) {
        Query query = filter == null ? Query.of(q -> q.matchAll(m -> m)) : filter;
        return documents.search(index, query,
                List.of(SortOptions.of(s -> s.field(f -> f.field(dateField).order(SortOrder.Desc)))), limit, null)
                .documents();
    }

    /** Metrics as a list of name and value, the shape the API exposes. */
    public static List<Map<String, Object>> metricList(Map<String, Double> metrics) {
        return metrics.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Map.<String, Object>of("name", e.getKey(), "value", e.getValue())).toList();
    }

    public static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(value)));
    }

    /** Replaces the list element whose {@code key} equals the given one, or appends; keeps replays idempotent. */
    @SuppressWarnings("unchecked")
    public static void upsertInList(Map<String, Object> doc, String listField, String key, Map<String, Object> item) {
        List<Map<String, Object>> list = new ArrayList<>((List<Map<String, Object>>) doc.getOrDefault(listField,
                List.of()));
        list.removeIf(existing -> item.get(key) != null && item.get(key).equals(existing.get(key)));
        list.add(item);
        doc.put(listField, list);
    }
}
