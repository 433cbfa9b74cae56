package io.annals.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.query_dsl.FieldAndFormat;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import io.annals.app.AnnalsApplication;
import io.annals.app.demo.GraphQlClient;
import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnStatistics;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetBatchIngested;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetRegistered;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingrun.Hyperparameters;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingEpochCompleted;
import io.annals.command.api.trainingrun.TrainingRunClaimed;
import io.annals.command.api.trainingrun.TrainingRunCompleted;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.api.trainingrun.TrainingRunRequested;
import io.annals.infra.stack.EmbeddedStack;
import io.annals.query.audit.AuditProjection;
import io.annals.query.dataset.DatasetProjection;
import io.annals.query.elastic.Documents;
import io.annals.query.model.ModelProjection;
import io.annals.query.rebuild.ProjectionRebuilds;
import io.annals.query.trainingrun.TrainingRunProjection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The read side's speed, on the embedded stack, in one run (see the README's "Benchmarks"): the Elasticsearch
 * {@code _bulk} ceiling for audit-shaped documents; a full rebuild of the audit and run projections over a history
 * of {@code annals.bench.events} events (200,000 by default), as a ratio of that ceiling, with the slowest and the
 * smallest audit query answered during each rebuild; and lineage and batch-impact latency over 10,000 runs of 1,000
 * batches. Off by default: {@code -Dannals.bench=true}. It asserts what must never happen (a query during a rebuild
 * seeing fewer events than before it) and prints the figures with the machine.
 */
@EnabledIfSystemProperty(named = "annals.bench", matches = "true")
@SpringBootTest(classes = AnnalsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"annals.roles=query", "annals.security.tokens.bench=" + ReadSideBenchmarkIT.TOKEN,
                "logging.level.io.annals.command.domain.model=WARN"})
class ReadSideBenchmarkIT {

    static final String TOKEN = "bench-token-0123456789abcdef";
    private static final ObjectMapper WIRE = new ObjectMapper();
    private static final int EVENTS = Integer.getInteger("annals.bench.events", 200_000);
    private static final int BATCHES = 1_000;
    private static final int DATASETS = 10;
    private static final int MODELS = 100;
    private static final String HOT_BATCH = "batch-0";
    /** The pause between two audit queries of the reader that runs during each rebuild. */
    private static final long READER_PAUSE_MILLIS = Long.getLong("annals.bench.reader-pause-ms", 50);

    static {
        try {
            Path data = Files.createTempDirectory("annals-bench",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            System.setProperty("annals.stack.data-dir", data.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedStack::stopShared, "annals-bench-cleanup"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Autowired
    EventStore eventStore;
    @Autowired
    ElasticsearchClient es;
    @Autowired
    Documents documents;
    @Autowired
    ProjectionRebuilds rebuilds;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventProcessingConfiguration processing;
    @LocalServerPort
    int port;
    @Value("${axon.eventhandling.processors.audit-projection.batch-size}")
    int batchSize;

    private final List<String> report = new ArrayList<>();

    @Test
    void readSide() throws Exception {
        int runs = Math.max(MODELS, (EVENTS - DATASETS - BATCHES) / 20);
        long begin = System.nanoTime();
        long appended = appendHistory(runs);
        double appendSeconds = seconds(begin);
        line("history", "%,d events appended in %.1f s (%,.0f events/s; %,d runs of %d batches)", appended,
                appendSeconds, appended / appendSeconds, runs, BATCHES);

        begin = System.nanoTime();
        await().atMost(Duration.ofMinutes(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                jdbc.queryForObject("select count(*) from domainevententry where payloadtype like "
                        + "'%ModelVersionRegistered'", Long.class) >= runs);
        line("registration policy", "%,d model versions registered from completed runs in %.1f s", runs,
                seconds(begin));
        long head = head();
        awaitCaughtUp(head);
        line("live processors", "projections, publisher and policy caught up with %,d events %.1f s after the "
                + "history was appended", head,
                seconds(begin));

        double ceiling = bulkCeiling((int) Math.min(head, 200_000));
        rebuild(AuditProjection.PROCESSING_GROUP, ceiling);
        rebuild(TrainingRunProjection.PROCESSING_GROUP, ceiling);
        latencies(runs);

        System.out.println("\n== Annals read-side benchmark ==\n" + String.join("\n", report)
                + "\nmachine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB max heap, " + System.getProperty("os.name")
                + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch") + ", Java "
                + System.getProperty("java.version") + "\n");
    }

    private void line(String what, String format, Object... args) {
        String text = String.format("%-24s ", what + ":") + String.format(format, args);
        report.add(text);
        System.out.println(text);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private long head() {
        Long max = jdbc.queryForObject("select max(globalindex) from domainevententry", Long.class);
        return max == null ? -1 : max;
    }

    /**
     * Datasets with their batches, then runs that read two batches each (one run in ten reads the hot batch),
     * each claimed, with 17 epochs, and completed: the registration policy makes a model version of each.
     */
    private long appendHistory(int runs) {
        Random random = new Random(7);
        MetaData meta = MetaData.with(MetadataKeys.ACTOR, "service:benchmark");
        List<DomainEventMessage<?>> pending = new ArrayList<>();
        long count = 0;
        DatasetSchema schema = new DatasetSchema(List.of(new ColumnSpec("x", ColumnType.DOUBLE, false),
                new ColumnSpec("label", ColumnType.LONG, false)));
        String sha = "a".repeat(64);
        List<BatchInput> batches = new ArrayList<>();
        for (int d = 0; d < DATASETS; d++) {
            DatasetName dataset = DatasetName.of("bench-data-" + d);
            String stream = StreamId.of(dataset).toString();
            pending.add(event("Dataset", stream, 0, new DatasetRegistered(dataset, schema, "benchmark"), meta));
            for (int b = d; b < BATCHES; b += DATASETS) {
                BatchId id = BatchId.of("batch-" + b);
                String location = "s3://annals/datasets/" + dataset + "/batches/" + id + ".csv";
                pending.add(event("Dataset", stream, b / DATASETS + 1, new DatasetBatchIngested(dataset, id, "p" + b,
                        location, sha, 4000, 170_000, List.of(new ColumnStatistics("x", 4000, 0, -3.0, 3.0, 0.0,
                                1.0))), meta));
                batches.add(new BatchInput(new BatchRef(dataset, id), location, sha, 4000));
            }
        }
        count += flush(pending);
        batches.sort(java.util.Comparator.comparing(i -> Integer.parseInt(i.batch().batchId().value()
                .substring("batch-".length()))));
        Hyperparameters hp = new Hyperparameters(17, 0.01, 64, List.of(16, 8), 0.2);
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        for (int r = 0; r < runs; r++) {
            TrainingRunId runId = TrainingRunId.of("bench-run-" + r);
            ModelName model = ModelName.of("bench-model-" + (r % MODELS));
            BatchInput first = r % 10 == 0 ? batches.get(0) : batches.get(1 + random.nextInt(BATCHES - 1));
            BatchInput second = batches.get(1 + random.nextInt(BATCHES - 1));
            List<BatchInput> inputs = List.of(first, second);
            List<BatchRef> refs = inputs.stream().map(BatchInput::batch).toList();
            String stream = StreamId.of(runId).toString();
            int seq = 0;
            pending.add(event("TrainingRun", stream, seq++, new TrainingRunRequested(runId, model,
                    Task.BINARY_CLASSIFICATION, refs, List.of("x"), "label", hp, r, inputs, null), meta));
            pending.add(event("TrainingRun", stream, seq++, new TrainingRunClaimed(runId, "bench-worker", 1,
                    t.plusSeconds(120)), meta));
            for (int e = 1; e <= 17; e++) {
                pending.add(event("TrainingRun", stream, seq++, new TrainingEpochCompleted(runId, e, 17,
                        0.7 - e * 0.01, 0.72 - e * 0.01, Map.of("auc", 0.8 + e * 0.005), t.plusSeconds(120)), meta));
            }
            pending.add(event("TrainingRun", stream, seq, new TrainingRunCompleted(runId, model,
                    Task.BINARY_CLASSIFICATION, refs, List.of("x"), "bench-worker",
                    new ArtifactRef("s3://annals/models/" + runId + ".zip", sha, 10_000), Map.of("auc", 0.9),
                    new ScoreBaseline(List.of(0.5), List.of(0.5, 0.5), 100)), meta));
            if (pending.size() >= 2_000) {
                count += flush(pending);
            }
        }
        return count + flush(pending);
    }

    private static DomainEventMessage<?> event(String type, String stream, long sequence, Object payload,
                                               MetaData meta) {
        return new GenericDomainEventMessage<>(type, stream, sequence, payload, meta);
    }

    private long flush(List<DomainEventMessage<?>> pending) {
        int n = pending.size();
        if (n > 0) {
            eventStore.publish(new ArrayList<>(pending));
            pending.clear();
        }
        return n;
    }

    /**
     * Until every streaming processor of the process (projections, the Kafka publisher, the registration policy) has
     * handled the log up to {@code head} and no rebuild runs: nothing left working in the background.
     */
    private void awaitCaughtUp(long head) {
        await().atMost(Duration.ofMinutes(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                rebuilds.status().stream().noneMatch(s -> Boolean.TRUE.equals(s.rebuilding()))
                        && processing.eventProcessors().values().stream()
                        .filter(StreamingEventProcessor.class::isInstance)
                        .map(p -> ProjectionRebuilds.status(p.getName(), (StreamingEventProcessor) p))
                        .allMatch(s -> s.position() != null && s.position() >= head));
    }

    /**
     * Indexes audit-shaped documents straight into a scratch index set up as a generation being rebuilt (no refresh
     * until the end), in bulk requests of the projection's batch size, from one client: what the projection's own
     * requests could do at best.
     */
    private double bulkCeiling(int count) throws IOException {
        int perRequest = batchSize;
        Map<String, Object> sample = es.search(s -> s.index(AuditProjection.AUDIT.alias()).size(1), Map.class).hits().hits()
                .get(0).source();
        String index = "annals-bench-ceiling";
        es.indices().create(c -> c.index(index).settings(s -> s.numberOfShards("1").numberOfReplicas("0")
                .refreshInterval(r -> r.time("-1"))));
        long begin = System.nanoTime();
        for (int from = 0; from < count; from += perRequest) {
            BulkRequest.Builder bulk = new BulkRequest.Builder();
            for (int i = from; i < Math.min(count, from + perRequest); i++) {
                Map<String, Object> doc = new LinkedHashMap<>(sample);
                doc.put("eventId", "ceiling-" + i);
                doc.put("position", i);
                String id = "ceiling-" + i;
                bulk.operations(op -> op.index(x -> x.index(index).id(id).document(doc)));
            }
            var response = es.bulk(bulk.build());
            assertThat(response.errors()).isFalse();
        }
        es.indices().refresh(r -> r.index(index));
        double rate = count / seconds(begin);
        es.indices().delete(d -> d.index(index));
        line("_bulk ceiling", "%,.0f audit documents/s (%,d documents, %d per request, straight to Elasticsearch)",
                rate, count, perRequest);
        return rate;
    }

    /** Rebuilds a projection while one client keeps querying the audit log, and compares with the ceiling. */
    private void rebuild(String projection, double ceiling) throws Exception {
        GraphQlClient client = new GraphQlClient("http://127.0.0.1:" + port, TOKEN);
        long before = auditTotal(client);
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong slowestNanos = new AtomicLong();
        AtomicLong fewest = new AtomicLong(Long.MAX_VALUE);
        AtomicLong queries = new AtomicLong();
        // a dashboard polling the audit log: one query every READER_PAUSE_MILLIS ms, on one connection
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                long start = System.nanoTime();
                long total = auditTotal(client);
                slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                fewest.accumulateAndGet(total, Math::min);
                queries.incrementAndGet();
                LockSupport.parkNanos(READER_PAUSE_MILLIS * 1_000_000L);
            }
        }, "bench-audit-reader");
        reader.start();
        long head = head();
        long begin = System.nanoTime();
        rebuilds.rebuild(projection);
        await().atMost(Duration.ofMinutes(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                rebuilds.status().stream().filter(s -> projection.equals(s.name())).allMatch(s ->
                        !Boolean.TRUE.equals(s.rebuilding()) && s.position() != null && s.position() >= head));
        double seconds = seconds(begin);
        done.set(true);
        reader.join();
        double rate = head / seconds;
        line("rebuild " + projection, "%,d events in %.1f s = %,.0f events/s = %.0f%% of the _bulk ceiling "
                        + "(goal >= 80%%); %,d audit queries meanwhile (one every %d ms), slowest %.0f ms, fewest "
                        + "events seen %,d (before: %,d)", head, seconds, rate, 100 * rate / ceiling, queries.get(),
                READER_PAUSE_MILLIS,
                slowestNanos.get() / 1e6, fewest.get(), before);
        assertThat(fewest.get()).as("no query during the rebuild sees fewer events than before it")
                .isGreaterThanOrEqualTo(before);
    }

    private static long auditTotal(GraphQlClient client) {
        return client.execute("{ auditEvents(first: 1) { totalCount } }", Map.of()).path("auditEvents")
                .path("totalCount").asLong();
    }

    /**
     * lineage of random model versions and the impact of the most-used batch, one request at a time, beside the same
     * reads done straight to Elasticsearch and beside the trivial query. Every kind of request is first repeated until
     * the JIT compilers have settled, so that what is measured is a warm server, as a platform that has been up for a
     * while is.
     */
    private void latencies(int runs) throws IOException {
        // the rebuilds leave Elasticsearch merging the segments of the new generations for a while; latency is
        // measured once it is done, as a platform that is not rebuilding would see it
        long settling = System.nanoTime();
        awaitCaughtUp(head());
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() ->
                es.indices().stats(st -> st.index("annals-*")).all().total().merges().current() == 0);
        line("merges settled", "%.1f s after the last rebuild", seconds(settling));
        BlockingGraphQl client = new BlockingGraphQl(port, TOKEN);
        int perModel = runs / MODELS;
        Random random = new Random(11);
        Runnable me = () -> client.execute("{ me }", "{}");
        Runnable lineage = () -> client.execute("query($m: String!, $v: Int!) { lineage(model: $m, version: $v) "
                        + "{ run { runId } batches { batchId sha256 } datasets { name } } }",
                "{\"m\": \"bench-model-" + random.nextInt(MODELS) + "\", \"v\": " + (1 + random.nextInt(perModel))
                        + "}");
        Runnable rawLineage = () -> rawLineage("bench-model-" + random.nextInt(MODELS) + "#"
                + (1 + random.nextInt(perModel)));
        Runnable impact = () -> client.execute("query($b: ID!) { batchImpact(batchId: $b) { runs { runId status } "
                + "modelVersions { model version } endpoints { endpoint } } }", "{\"b\": \"" + HOT_BATCH + "\"}");
        Runnable rawImpact = this::rawBatchImpact;
        List<Runnable> all = List.of(me, lineage, rawLineage, impact, rawImpact);

        long warming = System.nanoTime();
        int rounds = warmUp(all);
        line("warm-up", "%d rounds of every request in %.1f s, until the JIT compilers settled", rounds,
                seconds(warming));
        double[] trivial = time(1_000, me);
        line("GraphQL round trip", "{ me }: p50 %.2f ms, p99 %.2f ms over 1,000 requests (the floor under any query)",
                trivial[0], trivial[1]);
        double[] raw = time(1_000, rawLineage);
        line("lineage, raw", "p50 %.2f ms, p99 %.2f ms: the same four reads straight to Elasticsearch", raw[0],
                raw[1]);
        double[] lineageMillis = time(1_000, lineage);
        line("lineage", "p50 %.2f ms, p99 %.2f ms over 1,000 requests (goal p99 <= 20 ms)", lineageMillis[0],
                lineageMillis[1]);
        double[] impactMillis = time(500, impact);
        line("batchImpact (hot batch)", "p50 %.2f ms, p99 %.2f ms over 500 requests, batch read by %,d runs "
                + "(goal p99 <= 50 ms)", impactMillis[0], impactMillis[1], runs / 10);
        double[] rawImpactMillis = time(500, rawImpact);
        line("batchImpact, raw", "p50 %.2f ms, p99 %.2f ms: the same reads straight to Elasticsearch",
                rawImpactMillis[0], rawImpactMillis[1]);
    }

    /**
     * Rounds of 100 of each request until a round's JIT compilation time is under 2% of its wall time (at least three
     * rounds, at most two minutes): the compilers have settled.
     */
    private static int warmUp(List<Runnable> requests) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        int rounds = 0;
        while (true) {
            long compiledBefore = jit.getTotalCompilationTime();
            long begin = System.nanoTime();
            for (Runnable request : requests) {
                for (int i = 0; i < 100; i++) {
                    request.run();
                }
            }
            rounds++;
            double compiledMillis = jit.getTotalCompilationTime() - compiledBefore;
            double wallMillis = (System.nanoTime() - begin) / 1e6;
            if ((rounds >= 3 && compiledMillis < 0.02 * wallMillis) || System.nanoTime() > deadline) {
                return rounds;
            }
        }
    }

    /**
     * A GraphQL client as plain as a client gets: {@link HttpURLConnection}, blocking on the caller's thread over one
     * kept-alive connection, so that what is timed is the server, not a client's thread hand-offs.
     */
    private static final class BlockingGraphQl {
        private final URL url;
        private final String authorization;

        BlockingGraphQl(int port, String token) throws IOException {
            this.url = URI.create("http://127.0.0.1:" + port + "/graphql").toURL();
            this.authorization = "Bearer " + token;
        }

        void execute(String query, String variablesJson) {
            try {
                byte[] body = ("{\"query\": " + WIRE.writeValueAsString(query) + ", \"variables\": " + variablesJson
                        + "}").getBytes(StandardCharsets.UTF_8);
                HttpURLConnection http = (HttpURLConnection) url.openConnection();
                http.setRequestMethod("POST");
                http.setDoOutput(true);
                http.setRequestProperty("Content-Type", "application/json");
                http.setRequestProperty("Authorization", authorization);
                http.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = http.getOutputStream()) {
                    out.write(body);
                }
                int status = http.getResponseCode();
                JsonNode answer;
                try (InputStream in = http.getInputStream()) {
                    answer = WIRE.readTree(in);
                }
                if (status != 200 || answer.hasNonNull("errors")) {
                    throw new IllegalStateException("HTTP " + status + ": " + answer);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A lineage's reads done straight with the Elasticsearch client: the version, its run, batches and datasets. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void rawLineage(String version) {
        try {
            Map<String, Object> v = es.get(g -> g.index(ModelProjection.VERSIONS.alias()).id(version), Map.class)
                    .source();
            String runId = (String) v.get("runId");
            Map<String, Object> run = es.mget(m -> m.index(TrainingRunProjection.RUNS.alias()).ids(runId)
                    .sourceExcludes("epochs"), Map.class).docs().get(0).result().source();
            List<Map<String, Object>> inputs = (List<Map<String, Object>>) run.get("batches");
            List<String> batchIds = inputs.stream().map(b -> (String) b.get("batchId")).toList();
            List<String> datasets = inputs.stream().map(b -> (String) b.get("dataset")).distinct().toList();
            es.mget(m -> m.index(DatasetProjection.BATCHES.alias()).ids(batchIds), Map.class);
            es.mget(m -> m.index(DatasetProjection.DATASETS.alias()).ids(datasets), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A batch impact's reads done straight with the Elasticsearch client: the batch and its runs' fields. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void rawBatchImpact() {
        try {
            es.get(g -> g.index(DatasetProjection.BATCHES.alias()).id(HOT_BATCH), Map.class);
            var runs = es.search(s -> s.index(TrainingRunProjection.RUNS.alias()).size(10_000)
                    .query(q -> q.term(t -> t.field("batches.batchId").value(HOT_BATCH)))
                    .source(src -> src.fetch(false)).docvalueFields(fields("runId", "status", "model", "modelVersion")),
                    Map.class).hits().hits();
            // the versions asked for (model and number) are those the runs record; nothing else is read
            runs.stream().map(h -> h.fields().get("model").to(List.class).get(0) + "#"
                    + h.fields().get("modelVersion").to(List.class).get(0)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<FieldAndFormat> fields(String... names) {
        return Arrays.stream(names).map(n -> FieldAndFormat.of(f -> f.field(n))).toList();
    }

    private static double[] time(int requests, Runnable request) {
        double[] millis = new double[requests];
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            request.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return new double[] {millis[requests / 2], millis[(int) Math.ceil(requests * 0.99) - 1]};
    }
}
