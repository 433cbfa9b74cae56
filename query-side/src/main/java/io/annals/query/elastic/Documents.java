package io.annals.query.elastic;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Read models are JSON documents; this keeps the Elasticsearch calls in one place. Indexes are created on first
 * use with an explicit mapping of the fields that are searched; everything else is kept in the source only.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class Documents {

    private final ElasticsearchClient es;
    private final Set<String> ready = ConcurrentHashMap.newKeySet();

    public Documents(ElasticsearchClient es) {
        this.es = es;
    }

    /** Creates the index unless it exists; {@code properties} is the JSON of its mapped fields. */
    public void ensureIndex(String index, String properties) {
        if (ready.contains(index)) {
            return;
        }
        try {
            if (!es.indices().exists(e -> e.index(index)).value()) {
                String body = "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0,"
                        + "\"refresh_interval\":\"200ms\"},\"mappings\":{\"dynamic\":false,\"properties\":"
                        + properties + "}}";
                try {
                    es.indices().create(c -> c.index(index).withJson(new StringReader(body)));
                } catch (ElasticsearchException e) {
                    if (!"resource_already_exists_exception".equals(e.error().type())) {
                        throw e;
                    }
                }
            }
            ready.add(index);
        } catch (IOException e) {
            throw new ReadModelUnavailableException(index, e);
        }
    }

    public void deleteIndex(String index) {
        try {
            es.indices().delete(d -> d.index(index).ignoreUnavailable(true));
            ready.remove(index);
        } catch (IOException e) {
            throw new ReadModelUnavailableException(index, e);
        }
    }

    public Optional<Map<String, Object>> get(String index, String id) {
        try {
            var response = es.get(g -> g.index(index).id(id), Map.class);
            return response.found() ? Optional.of(new LinkedHashMap<>((Map<String, Object>) response.source()))
                    : Optional.empty();
        } catch (ElasticsearchException e) {
            if (notThereYet(e)) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new ReadModelUnavailableException(index, e);
        }
    }

    public void put(String index, String id, Map<String, Object> document) {
        try {
            es.index(i -> i.index(index).id(id).document(document));
        } catch (IOException e) {
            throw new ReadModelUnavailableException(index, e);
        }
    }

    /**
     * Changes one document for the event at {@code position} of the log, idempotently: a document whose recorded
     * position is at or past the event already reflects it and is left alone. {@code ifMissing} makes the document
     * when there is none (null: a missing document is left missing).
     *
     * @return the document as written, or empty when nothing was written
     */
    public Optional<Map<String, Object>> apply(String index, String id, long position,
                                               Supplier<Map<String, Object>> ifMissing,
                                               Consumer<Map<String, Object>> change) {
        Optional<Map<String, Object>> existing = get(index, id);
        if (existing.isEmpty() && ifMissing == null) {
            return Optional.empty();
        }
        Map<String, Object> doc = existing.orElseGet(() -> new LinkedHashMap<>(ifMissing.get()));
        if (Positions.alreadyApplied(doc, position)) {
            return Optional.empty();
        }
        change.accept(doc);
        doc.put("position", position);
        put(index, id, doc);
        return Optional.of(doc);
    }

    public record Page(List<Map<String, Object>> documents, List<List<FieldValue>> sortValues, long total) {
    }

    public Page search(String index, Query query, List<SortOptions> sort, int size, List<FieldValue> searchAfter) {
        try {
            SearchResponse<Map> response = es.search(s -> {
                s.index(index).query(query).size(size).sort(sort).trackTotalHits(t -> t.enabled(true));
                if (searchAfter != null && !searchAfter.isEmpty()) {
                    s.searchAfter(searchAfter);
                }
                return s;
            }, Map.class);
            List<Map<String, Object>> docs = new ArrayList<>();
            List<List<FieldValue>> sorts = new ArrayList<>();
            for (Hit<Map> hit : response.hits().hits()) {
                docs.add((Map<String, Object>) hit.source());
                sorts.add(hit.sort());
            }
            long total = response.hits().total() == null ? docs.size() : response.hits().total().value();
            return new Page(docs, sorts, total);
        } catch (ElasticsearchException e) {
            if (notThereYet(e)) {
                return new Page(List.of(), List.of(), 0);
            }
            throw e;
        } catch (IOException e) {
            throw new ReadModelUnavailableException(index, e);
        }
    }

    /**
     * A read model that does not exist yet, or whose index was created a moment ago and has no active shard yet,
     * holds nothing: that is an empty answer, not an error.
     */
    private static boolean notThereYet(ElasticsearchException e) {
        String type = e.error() == null ? null : e.error().type();
        return e.status() == 404 || "index_not_found_exception".equals(type)
                || "no_shard_available_action_exception".equals(type);
    }

    public long count(String index) {
        try {
            es.indices().refresh(r -> r.index(index));
            return es.count(c -> c.index(index)).count();
        } catch (ElasticsearchException e) {
            if (e.status() == 404) {
                return 0;
            }
            throw e;
        } catch (IOException e) {
            throw new ReadModelUnavailableException(index, e);
        }
    }
}
