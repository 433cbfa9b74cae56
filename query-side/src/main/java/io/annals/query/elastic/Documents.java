package io.annals.query.elastic;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkResponse;
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
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read models are JSON documents; this keeps the Elasticsearch calls in one place. Indexes are created on first
 * use with an explicit mapping of the fields that are searched; everything else is kept in the source only.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class Documents {

    private static final Logger log = LoggerFactory.getLogger(Documents.class);

    private static final String BATCH_RESOURCE = Documents.class.getName() + ".batch";

    private final ElasticsearchClient es;
    /** The mapped fields of each read model, by alias, as its projection declared them. */
    private final Map<String, String> declared = new ConcurrentHashMap<>();
    /** Read models whose index is known to exist, by alias. */
    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    /** A rebuild in progress: the alias and the new generation its projection writes while queries read the old. */
    private final Map<String, String> rebuilding = new ConcurrentHashMap<>();

    public Documents(ElasticsearchClient es) {
        this.es = es;
    }

    /** Names a read model and its mapped fields, without touching Elasticsearch (projections do it when made). */
    public void declare(String alias, String properties) {
        declared.put(alias, properties);
    }

    /**
     * Makes sure a declared read model exists: an index generation ({@code <alias>-g1}, {@code -g2}…) that queries
     * reach through the alias. A newer generation than the alias's one is a rebuild that was under way when the
     * process stopped; it goes on where it was.
     */
    public void ensureIndex(String alias) {
        if (ready.contains(alias)) {
            return;
        }
        try {
            String current = aliasTarget(alias);
            if (current == null) {
                create(alias + "-g1", properties(alias), alias);
            } else {
                List<String> generations = generations(alias);
                String newest = generations.get(generations.size() - 1);
                if (!newest.equals(current)) {
                    rebuilding.put(alias, newest);
                    log.info("Read model {}: generation {} is being rebuilt; queries read {} meanwhile", alias,
                            newest, current);
                }
            }
            ready.add(alias);
        } catch (IOException e) {
            throw new ReadModelUnavailableException(alias, e);
        }
    }

    private String properties(String alias) {
        String properties = declared.get(alias);
        if (properties == null) {
            throw new IllegalStateException("read model " + alias + " was never declared");
        }
        return properties;
    }

    private String aliasTarget(String alias) throws IOException {
        try {
            var response = es.indices().getAlias(g -> g.name(alias));
            return response.result().keySet().stream().findFirst().orElse(null);
        } catch (ElasticsearchException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The generations of a read model, oldest first. */
    private List<String> generations(String alias) throws IOException {
        return es.indices().get(g -> g.index(alias + "-g*").allowNoIndices(true)).result().keySet().stream()
                .sorted(java.util.Comparator.comparingInt(Documents::generation)).toList();
    }

    private static int generation(String index) {
        return Integer.parseInt(index.substring(index.lastIndexOf("-g") + 2));
    }

    private void create(String index, String properties, String alias) throws IOException {
        String aliases = alias == null ? "{}" : "{\"" + alias + "\":{}}";
        String body = "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0,"
                + "\"refresh_interval\":\"200ms\"},\"mappings\":{\"dynamic\":false,\"properties\":"
                + properties + "},\"aliases\":" + aliases + "}";
        try {
            es.indices().create(c -> c.index(index).withJson(new StringReader(body)));
        } catch (ElasticsearchException e) {
            if (!"resource_already_exists_exception".equals(e.error().type())) {
                throw e;
            }
        }
    }

    /**
     * Starts a rebuild of a read model: a new, empty generation that its projection writes while queries keep
     * reading the current one through the alias, until {@link #promote} swaps them.
     */
    public void startGeneration(String alias) {
        String properties = properties(alias);
        try {
            List<String> generations = generations(alias);
            int next = generations.isEmpty() ? 1 : generation(generations.get(generations.size() - 1)) + 1;
            String index = alias + "-g" + next;
            String current = aliasTarget(alias);
            for (String abandoned : generations) {
                if (!abandoned.equals(current)) {
                    es.indices().delete(d -> d.index(abandoned).ignoreUnavailable(true));
                }
            }
            create(index, properties, null);
            rebuilding.put(alias, index);
            log.info("Read model {}: rebuilding into {}; queries read {} until it has caught up", alias, index,
                    current);
        } catch (IOException e) {
            throw new ReadModelUnavailableException(alias, e);
        }
    }

    /** True while a rebuild of the read model writes a generation that queries do not read yet. */
    public boolean rebuilding(String alias) {
        return rebuilding.containsKey(alias);
    }

    /** Points the alias at the rebuilt generation in one atomic step and removes the old one. */
    public void promote(String alias) {
        String next = rebuilding.get(alias);
        if (next == null) {
            return;
        }
        try {
            String current = aliasTarget(alias);
            // everything written is searchable before queries move over, so none sees fewer documents than before
            es.indices().refresh(r -> r.index(next));
            es.indices().updateAliases(u -> {
                if (current != null) {
                    u.actions(a -> a.remove(r -> r.index(current).alias(alias)));
                }
                return u.actions(a -> a.add(add -> add.index(next).alias(alias)));
            });
            rebuilding.remove(alias);
            if (current != null) {
                es.indices().delete(d -> d.index(current).ignoreUnavailable(true));
            }
            log.info("Read model {}: queries now read {}{}", alias, next, current == null ? ""
                    : "; " + current + " removed");
        } catch (IOException e) {
            throw new ReadModelUnavailableException(alias, e);
        }
    }

    /** Where a projection writes: the generation being rebuilt, or the one queries read. */
    private String writeTarget(String alias) {
        return rebuilding.getOrDefault(alias, alias);
    }

    /**
     * The documents changed by the batch of events a projection is handling now, or null outside of one (a query,
     * or a test calling a handler directly). Reads see the batch's own changes; all of it goes to Elasticsearch in
     * one bulk request when the batch commits, and a failure there rolls the batch back so it is retried.
     */
    private Batch currentBatch() {
        if (!CurrentUnitOfWork.isStarted() || !(CurrentUnitOfWork.get().getMessage() instanceof EventMessage)) {
            return null;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(BATCH_RESOURCE, key -> {
            Batch batch = new Batch();
            root.onPrepareCommit(u -> flush(batch));
            return batch;
        });
    }

    private record Staged(String index, String id, Map<String, Object> document) {
    }

    private static final class Batch {
        private final Map<String, Staged> documents = new LinkedHashMap<>();
    }

    private void flush(Batch batch) {
        if (batch.documents.isEmpty()) {
            return;
        }
        List<Staged> staged = List.copyOf(batch.documents.values());
        batch.documents.clear();
        String first = staged.get(0).index();
        try {
            BulkResponse response = es.bulk(b -> {
                for (Staged doc : staged) {
                    b.operations(op -> op.index(i -> i.index(doc.index()).id(doc.id()).document(doc.document())));
                }
                return b;
            });
            if (response.errors()) {
                var failed = response.items().stream().filter(i -> i.error() != null).findFirst().orElseThrow();
                throw new IllegalStateException("Elasticsearch refused " + failed.index() + "/" + failed.id()
                        + ": " + failed.error().type() + ": " + failed.error().reason());
            }
        } catch (IOException e) {
            throw new ReadModelUnavailableException(first, e);
        }
    }

    public Optional<Map<String, Object>> get(String index, String id) {
        Batch batch = currentBatch();
        if (batch != null) {
            Staged staged = batch.documents.get(writeTarget(index) + "/" + id);
            if (staged != null) {
                return Optional.of(new LinkedHashMap<>(staged.document()));
            }
        }
        String target = batch != null ? writeTarget(index) : index;
        try {
            var response = es.get(g -> g.index(target).id(id), Map.class);
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

    /** Writes a document; while a projection handles a batch, with the rest of the batch when it commits. */
    public void put(String index, String id, Map<String, Object> document) {
        String target = writeTarget(index);
        Batch batch = currentBatch();
        if (batch != null) {
            batch.documents.put(target + "/" + id, new Staged(target, id, new LinkedHashMap<>(document)));
            return;
        }
        try {
            es.index(i -> i.index(target).id(id).document(document));
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
