package io.annals.query.elastic;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch._types.query_dsl.FieldAndFormat;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.json.JsonpUtils;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.command.api.common.Page;
import io.annals.command.api.common.PageRequest;
import io.annals.command.api.common.Positioned;
import io.annals.infra.clients.WireJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read models in Elasticsearch: typed documents (records, through the client's Jackson mapper), written by
 * projections in one {@code _bulk} request per batch of events, read by query handlers with cursor pagination. Each
 * read model is a series of index generations behind an alias, so a rebuild fills a new generation while queries
 * keep reading the current one.
 */
public final class Documents implements ReadModelStore {

    private static final Logger log = LoggerFactory.getLogger(Documents.class);

    private static final String BATCH_RESOURCE = Documents.class.getName() + ".batch";

    private final ElasticsearchClient es;
    /** The same client's HTTP layer, for reads whose responses are parsed in one pass (see {@link #searchTree}). */
    private final RestClient rest;
    /** Read models whose index is known to exist, by alias. */
    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    /** A rebuild in progress: the alias and the new generation its projection writes while queries read the old. */
    private final Map<String, String> rebuilding = new ConcurrentHashMap<>();
    /** Elasticsearch's default bound on one search's hits ({@code index.max_result_window}). */
    private static final int MAX_SEARCH_HITS = 10_000;
    /** The fields of each read model that can be read from doc values, by alias. */
    private final Map<String, Set<String>> docValues = new ConcurrentHashMap<>();
    /** The threads of {@link #fork}ed reads; a read only waits for Elasticsearch, so a few are plenty. */
    private final ExecutorService readers = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "annals-read-" + READERS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private static final AtomicInteger READERS = new AtomicInteger();
    /** Which documents of each read model an event changes, by alias (see {@link #readAhead}). */
    private final Map<String, Function<Object, Collection<String>>> readAheadRules = new ConcurrentHashMap<>();

    /** Writes the lines of a {@code _bulk} body: the client's own mapper, so documents are the JSON it writes. */
    private final ObjectWriter bulkLines;

    /** How soon a write shows in searches of a generation queries read, as Elasticsearch writes it; null: its default. */
    private final String refreshInterval;

    /** @param refreshInterval see {@link io.annals.infra.clients.ElasticsearchSettings}; null for Elasticsearch's */
    public Documents(ElasticsearchClient es, Duration refreshInterval) {
        this.rest = ((RestClientTransport) es._transport()).restClient();
        this.es = es;
        this.refreshInterval = refreshInterval == null ? null : refreshInterval.toMillis() + "ms";
        // doubles written by Jackson's own shortest-digits writer, faster than the JDK 17 one
        this.bulkLines = ((JacksonJsonpMapper) es._jsonpMapper()).objectMapper().writer()
                .with(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).withRootValueSeparator("\n");
    }

    /** An ascending or descending sort on a mapped field. */
    public record Sort(String field, boolean ascending) {

        public static Sort asc(String field) {
            return new Sort(field, true);
        }

        public static Sort desc(String field) {
            return new Sort(field, false);
        }

        SortOptions options() {
            return SortOptions.of(s -> s.field(f -> f.field(field).order(ascending ? SortOrder.Asc : SortOrder.Desc)));
        }

        @Override
        public String toString() {
            return field + (ascending ? "+" : "-");
        }
    }

    /**
     * Which fields of each document a read returns: all of them, all but some (a run's epochs are most of its
     * document), or only some (what a client asked for). A field left out is null in the record read.
     */
    public record Source(List<String> includes, List<String> excludes) {

        public static final Source ALL = new Source(List.of(), List.of());

        public static Source excluding(List<String> fields) {
            return new Source(List.of(), fields);
        }

        public static Source including(java.util.Collection<String> fields) {
            return new Source(List.copyOf(fields), List.of());
        }
    }

    /**
     * Makes sure a read model exists: an index generation ({@code <alias>-g1}, {@code -g2}…) that queries reach
     * through the alias. A newer generation than the alias's one is a rebuild that was under way when the process
     * stopped; it goes on where it was.
     */
    public void ensureIndex(ReadModel<?> model) {
        String alias = model.alias();
        if (ready.contains(alias)) {
            return;
        }
        try {
            String current = aliasTarget(alias);
            if (current == null) {
                create(alias + "-g1", model.mapping(), alias, refreshInterval);
            } else {
                // the configured interval holds for a generation made under another setting too
                refreshEvery(current, refreshInterval);
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

    /**
     * Forgets what this process knew of the read model's generations and reads them again from Elasticsearch: after
     * another process rebuilt it (the alias has moved), or while it is rebuilding it (a newer generation is being
     * written, and this process's writes go there too).
     */
    public void reload(ReadModel<?> model) {
        ready.remove(model.alias());
        rebuilding.remove(model.alias());
        ensureIndex(model);
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
                .sorted(Comparator.comparingInt(Documents::generation)).toList();
    }

    private static int generation(String index) {
        return Integer.parseInt(index.substring(index.lastIndexOf("-g") + 2));
    }

    /** Sets how soon writes show in searches of {@code index}; null: Elasticsearch's default. */
    private void refreshEvery(String index, String interval) throws IOException {
        Request request = new Request("PUT", "/" + index + "/_settings");
        request.setJsonEntity("{\"index\":{\"refresh_interval\":" + (interval == null ? "null" : "\"" + interval + "\"")
                + "}}");
        rest.performRequest(request);
    }

    /**
     * @param alias the alias to point at the new index (null: none yet)
     * @param refreshInterval the configured interval (null: Elasticsearch's default), or -1 for a generation being
     *                        rebuilt that no query reads
     */
    private void create(String index, String properties, String alias, String refreshInterval) throws IOException {
        String aliases = alias == null ? "{}" : "{\"" + alias + "\":{}}";
        String refresh = refreshInterval == null ? "" : ",\"refresh_interval\":\"" + refreshInterval + "\"";
        String body = "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0" + refresh
                + "},\"mappings\":{\"dynamic\":false,"
                + "\"properties\":" + properties + "},\"aliases\":" + aliases + "}";
        try {
            es.indices().create(c -> c.index(index).withJson(new StringReader(body)));
        } catch (ElasticsearchException e) {
            if (!"resource_already_exists_exception".equals(e.error().type())) {
                throw e;
            }
        }
    }

    @Override
    public void startGeneration(ReadModel<?> model) {
        String alias = model.alias();
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
            // no query reads a generation being rebuilt, so it is not refreshed until it is promoted
            create(index, model.mapping(), current == null ? alias : null, current == null ? refreshInterval : "-1");
            if (current != null) {
                rebuilding.put(alias, index);
            }
            ready.add(alias);
            log.info("Read model {}: rebuilding into {}; queries read {} until it has caught up", alias, index,
                    current);
        } catch (IOException e) {
            throw new ReadModelUnavailableException(alias, e);
        }
    }

    /** True when queries can reach the read model: its alias points at a generation. */
    public boolean exists(ReadModel<?> model) {
        try {
            return aliasTarget(model.alias()) != null;
        } catch (IOException e) {
            throw new ReadModelUnavailableException(model.alias(), e);
        }
    }

    /** True while a rebuild of the read model writes a generation that queries do not read yet. */
    public boolean rebuilding(String alias) {
        return rebuilding.containsKey(alias);
    }

    /**
     * Points the alias at the rebuilt generation in one atomic step and removes the old one. Safe to call again after
     * a call that failed half-way (interrupted after the alias moved, say): a generation the alias already points at
     * is never removed.
     */
    public void promote(String alias) {
        String next = rebuilding.get(alias);
        if (next == null) {
            return;
        }
        try {
            String target = aliasTarget(alias);
            String current = next.equals(target) ? null : target;
            long begin = System.nanoTime();
            // everything written is searchable before queries move over, so none sees fewer documents than before
            refreshEvery(next, refreshInterval);
            es.indices().refresh(r -> r.index(next));
            long refreshed = System.nanoTime();
            es.indices().updateAliases(u -> {
                if (current != null) {
                    u.actions(a -> a.remove(r -> r.index(current).alias(alias)));
                }
                return u.actions(a -> a.add(add -> add.index(next).alias(alias)));
            });
            rebuilding.remove(alias);
            long swapped = System.nanoTime();
            if (current != null) {
                es.indices().delete(d -> d.index(current).ignoreUnavailable(true));
            }
            log.info("Read model {}: queries now read {} (refreshed in {} ms, alias moved in {} ms){}", alias, next,
                    (refreshed - begin) / 1_000_000, (swapped - refreshed) / 1_000_000, current == null ? ""
                            : "; " + current + " removed in " + (System.nanoTime() - swapped) / 1_000_000 + " ms");
        } catch (IOException e) {
            throw new ReadModelUnavailableException(alias, e);
        }
    }

    /** Where a projection writes: the generation being rebuilt, or the one queries read. */
    private String writeTarget(String alias) {
        return rebuilding.getOrDefault(alias, alias);
    }

    /**
     * The documents changed by the batch of events a projection is handling now, or null outside of one (a query).
     * Reads see the batch's own changes; all of it goes to Elasticsearch in one bulk request when the batch commits,
     * and a failure there rolls the batch back so it is retried.
     */
    private Batch currentBatch() {
        if (!CurrentUnitOfWork.isStarted() || !(CurrentUnitOfWork.get().getMessage() instanceof EventMessage)) {
            return null;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(BATCH_RESOURCE, key -> {
            Batch batch = new Batch(root instanceof BatchingUnitOfWork<?> batching ? batching.getMessages()
                    : List.of(root.getMessage()), root.getResource(ReplayMemory.RESOURCE));
            root.onPrepareCommit(u -> flush(batch));
            return batch;
        });
    }

    /** The memory of the replay lane applying the batch, when it applies it to a generation being rebuilt. */
    private ReplayMemory replayMemory(Batch batch, String index) {
        return batch.memory != null && rebuilding.containsValue(index) ? batch.memory : null;
    }

    /** A document to write, and its log position, which Elasticsearch keeps as its external version. */
    private record Staged(String index, String id, Positioned document) {
    }

    private static final class Batch {
        private final List<? extends Message<?>> messages;
        private final Map<String, Staged> documents = new LinkedHashMap<>();
        /** Documents read ahead for the batch, by index and id; null when the document does not exist. */
        private final Map<String, Positioned> read = new HashMap<>();
        private final Set<String> readAheadDone = new HashSet<>();
        /** While a rebuild's replay applies the batch: what its lane has written before (else null). */
        private final ReplayMemory memory;

        Batch(List<? extends Message<?>> messages, ReplayMemory memory) {
            this.messages = messages;
            this.memory = memory;
        }
    }

    private void flush(Batch batch) {
        if (batch.documents.isEmpty()) {
            return;
        }
        List<Staged> staged = List.copyOf(batch.documents.values());
        batch.documents.clear();
        int[] sizes = batch.memory == null ? null : new int[staged.size()];
        try {
            bulk(staged, sizes);
        } catch (IOException e) {
            throw new ReadModelUnavailableException(staged.get(0).index(), e);
        }
        for (int i = 0; sizes != null && i < staged.size(); i++) {
            Staged doc = staged.get(i);
            ReplayMemory memory = replayMemory(batch, doc.index());
            if (memory != null) {
                memory.written(doc.index(), doc.id(), doc.document(), sizes[i]);
            }
        }
    }

    /**
     * One {@code _bulk} request (with {@code sizes}, each document's JSON size is written there), its body written by
     * the client's own mapper straight into bytes (through the
     * client's request objects, building and serialising a rebuild's batch cost more than Elasticsearch's indexing
     * of it), its answer read no further than {@code errors} unless some document was refused.
     */
    private void bulk(List<Staged> staged, int[] sizes) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(staged.size() * 512);
        try (SequenceWriter lines = bulkLines.writeValues(body)) {
            for (int i = 0; i < staged.size(); i++) {
                Staged doc = staged.get(i);
                long position = doc.document().position();
                lines.write(new BulkAction(new BulkTarget(doc.index(), doc.id(), position >= 0 ? position : null,
                        position >= 0 ? "external" : null)));
                if (sizes == null) {
                    lines.write(doc.document());
                } else {
                    // the size of each document's JSON, which is what a replay's memory is bounded by
                    lines.flush();
                    int before = body.size();
                    lines.write(doc.document());
                    lines.flush();
                    sizes[i] = body.size() - before;
                }
            }
        }
        body.write('\n');
        Request request = new Request("POST", "/_bulk");
        request.addParameter("filter_path", "errors,items.*._index,items.*._id,items.*.error");
        request.setEntity(new ByteArrayEntity(body.toByteArray(), NDJSON));
        byte[] answer;
        try (InputStream in = rest.performRequest(request).getEntity().getContent()) {
            answer = in.readAllBytes();
        }
        if (!refusedAny(answer)) {
            return;
        }
        for (JsonNode item : WireJson.mapper().readTree(answer).path("items")) {
            JsonNode result = item.elements().hasNext() ? item.elements().next() : item;
            JsonNode error = result.path("error");
            if (!error.isMissingNode() && !NEWER_IS_KEPT.equals(error.path("type").asText())) {
                throw new IllegalStateException("Elasticsearch refused " + result.path("_index").asText() + "/"
                        + result.path("_id").asText() + ": " + error.path("type").asText() + ": "
                        + error.path("reason").asText());
            }
        }
    }

    /** Whether a {@code _bulk} answer says some document was refused: its {@code errors} field, read alone. */
    private static boolean refusedAny(byte[] answer) throws IOException {
        try (JsonParser json = WireJson.mapper().getFactory().createParser(answer)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a _bulk answer that is not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if ("errors".equals(field)) {
                    return value == JsonToken.VALUE_TRUE;
                }
                json.skipChildren();
            }
            throw new IOException("a _bulk answer without its errors field");
        }
    }

    private static final ContentType NDJSON = ContentType.create("application/x-ndjson", StandardCharsets.UTF_8);

    /** A {@code _bulk} action line: index this document, at this external version (its log position) if any. */
    private record BulkAction(BulkTarget index) {
    }

    private record BulkTarget(@JsonProperty("_index") String index, @JsonProperty("_id") String id, Long version,
                              @JsonProperty("version_type") String versionType) {
    }

    /**
     * What Elasticsearch answers when a document it holds is at a later log position than the one written: a
     * document's log position is its external version, and Elasticsearch keeps a write only if its version is higher
     * than the stored one, so an event applied again can never bring back an older state, whoever writes it.
     */
    private static final String NEWER_IS_KEPT = "version_conflict_engine_exception";

    /**
     * A document made by one event is written without reading first: Elasticsearch keeps whichever of it and the
     * stored document is at the later log position, so writing it again after later events changed it is a no-op.
     * That saves a read per event while a projection replays the log.
     */
    @Override
    public <T extends Positioned> Optional<T> write(ReadModel<T> model, String id, T document) {
        if (document.position() < 0) {
            return ReadModelStore.super.write(model, id, document);
        }
        Batch batch = currentBatch();
        if (batch != null) {
            Staged staged = batch.documents.get(writeTarget(model.alias()) + "/" + id);
            if (staged != null && staged.document().position() >= document.position()) {
                return Optional.empty();
            }
        }
        put(model, id, document);
        return Optional.of(document);
    }

    @Override
    public <T extends Positioned> Optional<T> get(ReadModel<T> model, String id) {
        Batch batch = currentBatch();
        String target = batch != null ? writeTarget(model.alias()) : model.alias();
        if (batch != null) {
            String key = target + "/" + id;
            if (batch.memory != null) {
                batch.memory.reading(target);
            }
            Staged staged = batch.documents.get(key);
            if (staged != null) {
                return Optional.of(model.type().cast(staged.document()));
            }
            readAheadFor(batch, model, target);
            if (batch.read.containsKey(key)) {
                return Optional.ofNullable(model.type().cast(batch.read.get(key)));
            }
            ReplayMemory memory = replayMemory(batch, target);
            Optional<Positioned> known = memory == null ? null : memory.recall(target, id);
            if (known != null) {
                return known.map(model.type()::cast);
            }
        }
        try {
            var response = es.get(g -> g.index(target).id(id), model.type());
            return response.found() ? Optional.ofNullable(response.source()) : Optional.empty();
        } catch (ElasticsearchException e) {
            // a projection must not take a shard that is not answering for a document that does not exist
            if (batch == null ? notThereYet(e) : e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            if (batch == null && responded(e, 503, NO_SHARD_YET)) {
                return Optional.empty();
            }
            throw new ReadModelUnavailableException(model.alias(), e);
        }
    }

    @Override
    public <T extends Positioned> void readAhead(ReadModel<T> model, Function<Object, Collection<String>> ids) {
        readAheadRules.put(model.alias(), ids);
    }

    /**
     * The first time a batch of events reads a document of a read model, every document of it that the batch's events
     * will change is read in one request, so that the rest of the batch reads from memory.
     */
    private <T extends Positioned> void readAheadFor(Batch batch, ReadModel<T> model, String target) {
        Function<Object, Collection<String>> rule = readAheadRules.get(model.alias());
        if (rule == null || !batch.readAheadDone.add(target)) {
            return;
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Message<?> message : batch.messages) {
            ids.addAll(rule.apply(message.getPayload()));
        }
        ids.removeIf(id -> batch.documents.containsKey(target + "/" + id));
        ReplayMemory memory = replayMemory(batch, target);
        if (memory != null) {
            ids.removeIf(id -> {
                Optional<Positioned> known = memory.recall(target, id);
                if (known != null) {
                    batch.read.put(target + "/" + id, known.orElse(null));
                }
                return known != null;
            });
        }
        if (ids.isEmpty()) {
            return;
        }
        ids.forEach(id -> batch.read.put(target + "/" + id, null));
        getById(model, target, List.copyOf(ids), Source.ALL, false).forEach((id, document) ->
                batch.read.put(target + "/" + id, document));
    }

    /** Several documents by id in one request, in the order of {@code ids}; missing ones are left out. */
    public <T extends Positioned> List<T> getAll(ReadModel<T> model, List<String> ids, Source source) {
        return List.copyOf(getById(model, model.alias(), ids, source, true).values());
    }

    /**
     * Starts a read on a thread of its own and answers a supplier of its result, so that a query can make reads that
     * do not depend on each other side by side: the supplier waits for it and rethrows what it threw.
     */
    public <T> Supplier<T> fork(Supplier<T> read) {
        CompletableFuture<T> future = CompletableFuture.supplyAsync(read, readers);
        return () -> {
            try {
                return future.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        };
    }

    /** One document to read by {@link #getAcross}: which read model, which id, which of its fields. */
    public record Key<T extends Positioned>(ReadModel<T> model, String id, Source source) {
    }

    /** The documents one {@link #getAcross} found, by read model and id. */
    public static final class Found {

        private final Map<String, Positioned> documents;

        private Found(Map<String, Positioned> documents) {
            this.documents = documents;
        }

        public <T extends Positioned> Optional<T> get(ReadModel<T> model, String id) {
            return Optional.ofNullable(model.type().cast(documents.get(model.alias() + "/" + id)));
        }

        /** The documents of {@code model} with these ids that were found, in the order of {@code ids}. */
        public <T extends Positioned> List<T> all(ReadModel<T> model, Collection<String> ids) {
            return ids.stream().map(id -> get(model, id)).flatMap(Optional::stream).toList();
        }
    }

    /**
     * Documents of several read models by id in one {@code _mget} (a query that needs a run, its batches and their
     * datasets makes one round trip instead of three). Missing documents, and read models without an index yet, are
     * simply not found.
     */
    public Found getAcross(List<Key<?>> keys) {
        if (keys.isEmpty()) {
            return new Found(Map.of());
        }
        try {
            var response = es.mget(m -> {
                for (Key<?> key : keys) {
                    m.docs(d -> {
                        d.index(key.model().alias()).id(key.id());
                        if (!key.source().includes().isEmpty() || !key.source().excludes().isEmpty()) {
                            d.source(s -> s.filter(f -> f.includes(key.source().includes())
                                    .excludes(key.source().excludes())));
                        }
                        return d;
                    });
                }
                return m;
            }, JsonData.class);
            Map<String, Positioned> found = new HashMap<>();
            List<MultiGetResponseItem<JsonData>> docs = response.docs();
            for (int i = 0; i < docs.size(); i++) {
                MultiGetResponseItem<JsonData> item = docs.get(i);
                Key<?> key = keys.get(i);
                if (item.isResult() && item.result().found() && item.result().source() != null) {
                    found.put(key.model().alias() + "/" + key.id(), item.result().source().to(key.model().type()));
                }
            }
            return new Found(found);
        } catch (ElasticsearchException e) {
            if (notThereYet(e)) {
                return new Found(Map.of());
            }
            throw e;
        } catch (IOException e) {
            if (responded(e, 503, NO_SHARD_YET)) {
                return new Found(Map.of());
            }
            throw new ReadModelUnavailableException(keys.get(0).model().alias(), e);
        }
    }

    /**
     * @param emptyWhileStarting whether an index whose shard is still starting counts as empty (a query) or as
     *                           unavailable (a projection, which must not take it for documents that do not exist)
     */
    private <T extends Positioned> Map<String, T> getById(ReadModel<T> model, String index, List<String> ids,
                                                         Source source, boolean emptyWhileStarting) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        if (fromDocValues(model, source) && ids.size() <= MAX_SEARCH_HITS) {
            return getFieldsById(model, index, ids, source);
        }
        try {
            var response = es.mget(m -> {
                m.index(index).ids(ids);
                if (!source.includes().isEmpty()) {
                    m.sourceIncludes(source.includes());
                }
                if (!source.excludes().isEmpty()) {
                    m.sourceExcludes(source.excludes());
                }
                return m;
            }, model.type());
            Map<String, T> found = new LinkedHashMap<>();
            for (MultiGetResponseItem<T> item : response.docs()) {
                if (item.isFailure() && !emptyWhileStarting
                        && !"index_not_found_exception".equals(item.failure().error().type())) {
                    throw new ReadModelUnavailableException(model.alias(), new IOException(
                            item.failure().error().type() + ": " + item.failure().error().reason()));
                }
                if (item.isResult() && item.result().found() && item.result().source() != null) {
                    found.put(item.result().id(), item.result().source());
                }
            }
            return found;
        } catch (ElasticsearchException e) {
            if (emptyWhileStarting ? notThereYet(e) : e.status() == 404) {
                return Map.of();
            }
            throw e;
        } catch (IOException e) {
            if (emptyWhileStarting && responded(e, 503, NO_SHARD_YET)) {
                return Map.of();
            }
            throw new ReadModelUnavailableException(model.alias(), e);
        }
    }

    /** Writes a document; while a projection handles a batch, with the rest of the batch when it commits. */
    @Override
    public <T extends Positioned> void put(ReadModel<T> model, String id, T document) {
        ensureIndex(model);
        String target = writeTarget(model.alias());
        Batch batch = currentBatch();
        if (batch != null) {
            batch.documents.put(target + "/" + id, new Staged(target, id, document));
            return;
        }
        try {
            es.index(i -> {
                i.index(target).id(id).document(document);
                if (document.position() >= 0) {
                    i.version(document.position()).versionType(VersionType.External);
                }
                return i;
            });
        } catch (ElasticsearchException e) {
            if (e.error() == null || !NEWER_IS_KEPT.equals(e.error().type())) {
                throw e;
            }
        } catch (IOException e) {
            if (!responded(e, 409, NEWER_IS_KEPT)) {
                throw new ReadModelUnavailableException(model.alias(), e);
            }
        }
    }

    /**
     * One page of the documents that match {@code filter} (null: all), in the order of {@code sort}; the last sort
     * field must make the order total (a unique key), so that a cursor continues exactly where the page ended.
     */
    public <T extends Positioned> Page<T> page(ReadModel<T> model, Query filter, List<Sort> sort, PageRequest request,
                                               Source source) {
        return page(model, filter, sort, request, source, true);
    }

    /** @param everyCursor whether each item needs its cursor, or only the last one (to read on) */
    private <T extends Positioned> Page<T> page(ReadModel<T> model, Query filter, List<Sort> sort,
                                                PageRequest request, Source source, boolean everyCursor) {
        boolean columnar = fromDocValues(model, source);
        String list = model.alias() + ":" + sort.stream().map(Sort::toString).collect(Collectors.joining(","));
        List<FieldValue> after = request.after() == null ? null : Cursors.decode(list, request.after());
        Query query = filter == null ? Query.of(q -> q.matchAll(m -> m)) : filter;
        SearchRequest search = SearchRequest.of(s -> {
            s.index(model.alias()).query(query).size(request.first() + 1)
                    .sort(sort.stream().map(Sort::options).toList()).trackTotalHits(t -> t.enabled(true));
            if (after != null) {
                s.searchAfter(after);
            }
            if (columnar) {
                // nor the stored fields: reading each hit's _id would decompress the stored block it sits in
                s.source(src -> src.fetch(false)).storedFields("_none_").docvalueFields(docValues(source));
            } else if (!source.equals(Source.ALL)) {
                s.source(src -> src.filter(f -> f.includes(source.includes()).excludes(source.excludes())));
            }
            return s;
        });
        try {
            if (columnar) {
                return columnarPage(model, search, list, request.first(), everyCursor);
            }
            SearchResponse<T> response = es.search(search, model.type());
            List<Hit<T>> hits = response.hits().hits();
            boolean more = hits.size() > request.first();
            List<T> nodes = new ArrayList<>();
            List<String> cursors = new ArrayList<>();
            List<Hit<T>> taken = more ? hits.subList(0, request.first()) : hits;
            for (int i = 0; i < taken.size(); i++) {
                nodes.add(taken.get(i).source());
                cursors.add(everyCursor || i == taken.size() - 1 ? Cursors.encode(list, taken.get(i).sort()) : null);
            }
            long total = response.hits().total() == null ? nodes.size() : response.hits().total().value();
            return Page.of(nodes, cursors, more, total);
        } catch (ElasticsearchException e) {
            if (notThereYet(e)) {
                return Page.of(List.of(), List.of(), false, 0);
            }
            throw e;
        } catch (IOException e) {
            if (notThereYet(e)) {
                return Page.of(List.of(), List.of(), false, 0);
            }
            throw new ReadModelUnavailableException(model.alias(), e);
        }
    }

    /**
     * A page read from doc values, its response parsed by the wire mapper in one pass ({@link #searchTree}): through
     * the client's own parsing, a batch read by a thousand runs allocated some 14 MB per query, a third of it for the
     * fields of the hits.
     */
    private <T extends Positioned> Page<T> columnarPage(ReadModel<T> model, SearchRequest search, String list,
                                                       int first, boolean everyCursor) throws IOException {
        JsonNode root = searchTree(model.alias(), search);
        JsonNode hits = root.path("hits").path("hits");
        int taken = Math.min(first, hits.size());
        List<T> nodes = new ArrayList<>(taken);
        List<String> cursors = new ArrayList<>(taken);
        for (int i = 0; i < taken; i++) {
            JsonNode hit = hits.get(i);
            nodes.add(fromFields(model, hit));
            cursors.add(everyCursor || i == taken - 1 ? Cursors.encode(list, sortValues(hit.path("sort"))) : null);
        }
        return Page.of(nodes, cursors, hits.size() > first, root.path("hits").path("total").path("value")
                .asLong(taken));
    }

    /**
     * A search sent through the client's HTTP layer, its response read whole by the wire mapper: the client's own
     * parsing makes a buffered {@link JsonData} of every field of every hit.
     */
    private JsonNode searchTree(String index, SearchRequest search) throws IOException {
        Request request = new Request("POST", "/" + index + "/_search");
        request.setJsonEntity(JsonpUtils.toJsonString(search, es._jsonpMapper()));
        try (InputStream in = rest.performRequest(request).getEntity().getContent()) {
            return WireJson.mapper().readTree(in);
        }
    }

    private static List<FieldValue> sortValues(JsonNode values) {
        List<FieldValue> sortValues = new ArrayList<>(values.size());
        for (JsonNode value : values) {
            sortValues.add(value.isNull() ? FieldValue.NULL : value.isIntegralNumber() ? FieldValue.of(value.asLong())
                    : value.isNumber() ? FieldValue.of(value.asDouble()) : value.isBoolean()
                    ? FieldValue.of(value.asBoolean()) : FieldValue.of(value.asText()));
        }
        return sortValues;
    }

    /** The most documents {@link #all} reads for one answer. */
    public static final int MAX_ALL = 20_000;

    /**
     * Every document that matches, read in pages of {@link PageRequest#MAX}. An answer that would pass
     * {@link #MAX_ALL} documents is refused rather than cut short.
     */
    public <T extends Positioned> List<T> all(ReadModel<T> model, Query filter, List<Sort> sort,
                                              Source source) {
        List<T> all = new ArrayList<>();
        PageRequest request = new PageRequest(PageRequest.MAX, null);
        while (true) {
            Page<T> page = page(model, filter, sort, request, source, false);
            all.addAll(page.nodes());
            if (all.size() > MAX_ALL) {
                throw new IllegalArgumentException("more than " + MAX_ALL + " documents of " + model.alias()
                        + " match; this answer is too large to return at once");
            }
            if (!page.pageInfo().hasNextPage()) {
                return all;
            }
            request = new PageRequest(PageRequest.MAX, page.pageInfo().endCursor());
        }
    }

    /**
     * When every field a read asks for is indexed with doc values (keywords, numbers, dates in the read model's
     * mapping), the values are read from those columns instead of the stored JSON of each document, which
     * Elasticsearch would otherwise have to parse whole to pick the fields out: the difference between reading a
     * thousand run summaries and a thousand runs with every epoch.
     */
    private boolean fromDocValues(ReadModel<?> model, Source source) {
        return !source.includes().isEmpty() && docValueFields(model).containsAll(source.includes());
    }

    private Set<String> docValueFields(ReadModel<?> model) {
        return docValues.computeIfAbsent(model.alias(), alias -> {
            Set<String> fields = new HashSet<>();
            try {
                WireJson.mapper().readTree(model.mapping()).fields().forEachRemaining(field -> {
                    String type = field.getValue().path("type").asText("");
                    if (Set.of("keyword", "long", "integer", "double", "date", "boolean").contains(type)) {
                        fields.add(field.getKey());
                    }
                });
            } catch (IOException e) {
                throw new IllegalStateException("the mapping of " + alias + " is not JSON", e);
            }
            return Set.copyOf(fields);
        });
    }

    private static List<FieldAndFormat> docValues(Source source) {
        return source.includes().stream().map(f -> FieldAndFormat.of(x -> x.field(f))).toList();
    }

    /** A record from the doc values of a search hit's fields (one value each); fields not read are null. */
    private static <T extends Positioned> T fromFields(ReadModel<T> model, JsonNode hit) throws IOException {
        ObjectNode values = WireJson.mapper().createObjectNode();
        hit.path("fields").fields().forEachRemaining(field -> {
            if (!field.getValue().isEmpty()) {
                values.set(field.getKey(), field.getValue().get(0));
            }
        });
        return WireJson.mapper().treeToValue(values, model.type());
    }

    private <T extends Positioned> Map<String, T> getFieldsById(ReadModel<T> model, String index, List<String> ids,
                                                               Source source) {
        SearchRequest search = SearchRequest.of(s -> s.index(index).query(q -> q.ids(i -> i.values(ids)))
                .size(ids.size()).source(src -> src.fetch(false)).docvalueFields(docValues(source)));
        try {
            Map<String, T> found = new LinkedHashMap<>();
            for (JsonNode hit : searchTree(index, search).path("hits").path("hits")) {
                found.put(hit.path("_id").asText(), fromFields(model, hit));
            }
            return found;
        } catch (IOException e) {
            if (notThereYet(e)) {
                return Map.of();
            }
            throw new ReadModelUnavailableException(model.alias(), e);
        }
    }

    /**
     * A read model that does not exist yet, or whose index was created a moment ago and has no active shard yet,
     * holds nothing: that is an empty answer, not an error.
     */
    private static boolean notThereYet(ElasticsearchException e) {
        String type = e.error() == null ? null : e.error().type();
        return e.status() == 404 || "index_not_found_exception".equals(type)
                || NO_SHARD_YET.equals(type);
    }

    /** The same, answered by the client's HTTP layer. */
    private static boolean notThereYet(IOException e) {
        return responded(e, 404, "index_not_found_exception") || responded(e, 503, NO_SHARD_YET);
    }

    /** An index whose only shard is still starting: it holds nothing yet. */
    private static final String NO_SHARD_YET = "no_shard_available_action_exception";

    /**
     * Some calls (a get, a single index request) report an Elasticsearch error as a response of the low-level client
     * rather than as an {@link ElasticsearchException}: whether {@code e} is one with this status and error type.
     */
    private static boolean responded(IOException e, int status, String errorType) {
        return e instanceof ResponseException response
                && response.getResponse().getStatusLine().getStatusCode() == status
                && String.valueOf(e.getMessage()).contains(errorType);
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
