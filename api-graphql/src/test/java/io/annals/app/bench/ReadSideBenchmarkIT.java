package io.annals.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import io.annals.app.AnnalsApplication;
import io.annals.app.demo.GraphQlClient;
import io.annals.command.api.audit.AuditEntry;
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
import io.annals.infra.clients.ElasticsearchSettings;
import io.annals.query.audit.AuditProjection;
import io.annals.query.dataset.DatasetProjection;
import io.annals.query.elastic.Documents;
import io.annals.query.model.ModelProjection;
import io.annals.query.rebuild.ProjectionRebuilds;
import io.annals.query.trainingrun.TrainingRunProjection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
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
        properties = {"annals.roles=api,command,query", "annals.security.tokens.bench=" + ReadSideBenchmarkIT.TOKEN,
                "annals.security.roles.bench=admin",
                "logging.level.io.annals.command.domain.model=WARN"})
class ReadSideBenchmarkIT {

    static final String TOKEN = "bench-token-0123456789abcdef";
    private static final int EVENTS = Integer.getInteger("annals.bench.events", 200_000);
    private static final int BATCHES = 1_000;
    private static final int DATASETS = 10;
    private static final int MODELS = 100;
    private static final String HOT_BATCH = "batch-0";
    /** The pause between two audit queries of the reader that runs during each rebuild. */
    private static final long READER_PAUSE_MILLIS = Long.getLong("annals.bench.reader-pause-ms", 50);

    /** Which phases run: {@code all}, or a comma-separated subset of {@code rebuild}, {@code segments}, {@code latency}. */
    private static final String PHASES = System.getProperty("annals.bench.phases", "all");

    static {
        // a data directory of one's own keeps the history between runs: a second run measures it again at once
        Machine.useStackDataDirectory("annals-bench", System.getProperty("annals.bench.data-dir"));
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
    @Autowired
    ElasticsearchSettings elasticsearch;

    private final List<String> report = new ArrayList<>();

    @Test
    void readSide() throws Exception {
        int runs = Math.max(MODELS, (EVENTS - DATASETS - BATCHES) / 20);
        long begin = System.nanoTime();
        if (head() < 0) {
            long appended = appendHistory(runs);
            double appendSeconds = seconds(begin);
            line("history", "%,d events appended in %.1f s (%,.0f events/s; %,d runs of %d batches)", appended,
                    appendSeconds, appended / appendSeconds, runs, BATCHES);
        } else {
            line("history", "%,d events kept in %s from an earlier run", head() + 1,
                    System.getProperty("annals.stack.data-dir"));
        }

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

        if (phase("rebuild")) {
            // a rebuild is asked of a server that has been running: the first rebuilds of each projection after this
            // start, with the JIT still compiling its handlers' and the indexing paths (on a history kept from an
            // earlier run, no event of it has been handled in this process yet), are reported but not compared
            warmUp(AuditProjection.PROCESSING_GROUP);
            warmUp(TrainingRunProjection.PROCESSING_GROUP);
            // each rebuild against the mean of a ceiling measured right before it and one right after it (the raw
            // ceiling moved by a fifth within minutes here), each of them on a quiet Elasticsearch: the merges a
            // rebuild leaves behind took a third off a ceiling measured while they ran. The first ceiling of a run
            // came out lowest in every run (by 15-40%), so one is measured first to warm up and not compared with
            int documents = (int) Math.min(head, 200_000);
            quiet();
            bulkCeiling(documents, false);
            quiet();
            double before = bulkCeiling(documents, true);
            quiet();
            double[] audit = new double[1];
            jitShare(() -> audit[0] = rebuild(AuditProjection.PROCESSING_GROUP, ""));
            quiet();
            double between = bulkCeiling(documents, false);
            quiet();
            double[] runRebuild = new double[1];
            jitShare(() -> runRebuild[0] = rebuild(TrainingRunProjection.PROCESSING_GROUP, ""));
            quiet();
            double after = bulkCeiling(documents, false);
            ratio(AuditProjection.PROCESSING_GROUP, audit[0], before, between);
            ratio(TrainingRunProjection.PROCESSING_GROUP, runRebuild[0], between, after);
        }
        if (phase("segments")) {
            segments(AuditProjection.PROCESSING_GROUP);
        }
        if (phase("latency")) {
            latencies(runs);
        }

        System.out.println("\n== Annals read-side benchmark ==\n" + String.join("\n", report)
                + "\nmachine: " + Machine.describe() + "\n");
    }

    private static boolean phase(String name) {
        return PHASES.equals("all") || List.of(PHASES.split(",")).contains(name);
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
     * The Elasticsearch {@code _bulk} ceiling for audit documents: copies of a real audit document indexed straight
     * into a scratch index set up as a generation being rebuilt (the audit mapping, one shard, no refresh until the
     * end), with the action lines the projection writes (the log position as external version), in requests of the
     * projection's batch size from one client. The raw server: each request's body is serialised before its clock
     * starts and sent as bytes through the HTTP client, and only {@code errors} is read back. Beside it, for what the
     * client library costs, the same documents through the Java client's own bulk API, serialisation timed.
     */
    /** @param alsoTheClient whether to measure the Java client's bulk API too */
    private double bulkCeiling(int count, boolean alsoTheClient) throws IOException {
        int perRequest = batchSize;
        AuditEntry sample = es.search(s -> s.index(AuditProjection.AUDIT.alias()).size(1), AuditEntry.class).hits()
                .hits().get(0).source();
        ObjectWriter lines = ((JacksonJsonpMapper) es._jsonpMapper()).objectMapper().writer()
                .withRootValueSeparator("\n");
        RestClient rest = ((RestClientTransport) es._transport()).restClient();
        String raw = ceilingIndex("annals-bench-ceiling");
        long sendingNanos = 0;
        for (int from = 0; from < count; from += perRequest) {
            ByteArrayOutputStream body = new ByteArrayOutputStream(perRequest * 1024);
            try (SequenceWriter out = lines.writeValues(body)) {
                for (int i = from; i < Math.min(count, from + perRequest); i++) {
                    out.write(Map.of("index", Map.of("_index", raw, "_id", "ceiling-" + i, "version", i + 1,
                            "version_type", "external")));
                    out.write(copy(sample, i));
                }
            }
            body.write('\n');
            Request request = new Request("POST", "/_bulk");
            request.addParameter("filter_path", "errors");
            request.setEntity(new ByteArrayEntity(body.toByteArray(), ContentType.create("application/x-ndjson")));
            long start = System.nanoTime();
            String answer = new String(rest.performRequest(request).getEntity().getContent().readAllBytes(),
                    StandardCharsets.UTF_8);
            sendingNanos += System.nanoTime() - start;
            assertThat(answer).as("a bulk request of the ceiling").isEqualTo("{\"errors\":false}");
        }
        long refreshing = System.nanoTime();
        es.indices().refresh(r -> r.index(raw));
        double rate = count / ((sendingNanos + System.nanoTime() - refreshing) / 1e9);
        es.indices().delete(d -> d.index(raw));
        if (!alsoTheClient) {
            line("_bulk ceiling", "%,.0f audit documents/s (%,d documents, %d per request, one client, bodies "
                    + "serialised beforehand)", rate, count, perRequest);
            return rate;
        }

        String client = ceilingIndex("annals-bench-ceiling-client");
        long begin = System.nanoTime();
        for (int from = 0; from < count; from += perRequest) {
            BulkRequest.Builder bulk = new BulkRequest.Builder();
            for (int i = from; i < Math.min(count, from + perRequest); i++) {
                AuditEntry doc = copy(sample, i);
                bulk.operations(op -> op.index(x -> x.index(client).id(doc.eventId()).document(doc)
                        .version(doc.position()).versionType(VersionType.External)));
            }
            assertThat(es.bulk(bulk.build()).errors()).isFalse();
        }
        es.indices().refresh(r -> r.index(client));
        double throughClient = count / seconds(begin);
        es.indices().delete(d -> d.index(client));
        line("_bulk ceiling", "%,.0f audit documents/s (%,d documents, %d per request, one client, bodies "
                        + "serialised beforehand, straight to Elasticsearch); through the Java client's bulk API, "
                        + "serialisation included: %,.0f documents/s (%.0f%% of the raw server)", rate, count,
                perRequest, throughClient, 100 * throughClient / rate);
        return rate;
    }

    /** A scratch index set up as a generation of the audit read model being rebuilt. */
    private String ceilingIndex(String index) throws IOException {
        String body = "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0,\"refresh_interval\":\"-1\"},"
                + "\"mappings\":{\"dynamic\":false,\"properties\":" + AuditProjection.AUDIT.mapping() + "}}";
        es.indices().delete(d -> d.index(index).ignoreUnavailable(true));
        es.indices().create(c -> c.index(index).withJson(new StringReader(body)));
        return index;
    }

    /** The sample audit document as the {@code i}th of the ceiling: its own id and position. */
    private static AuditEntry copy(AuditEntry sample, int i) {
        return new AuditEntry("ceiling-" + i, i + 1, sample.type(), sample.schemaVersion(), sample.stream(),
                sample.entityKind(), sample.entityId(), sample.entityType(), sample.sequence(), sample.timestamp(),
                sample.actor(), sample.correlationId(), sample.causationId(), sample.payload());
    }

    /** A rebuild's rate as a share of the mean of the ceilings measured right before and right after it. */
    private void ratio(String projection, double rate, double before, double after) {
        double ceiling = (before + after) / 2;
        line("rebuild " + projection, "%,.0f events/s = %.0f%% of the _bulk ceiling around it (%,.0f before, %,.0f "
                + "after; goal >= 80%%)", rate, 100 * rate / ceiling, before, after);
    }

    /**
     * Rebuilds a projection while one client keeps querying the audit log.
     *
     * @param label what sets this rebuild apart (empty: nothing)
     * @return the rebuild's rate: events of the log per second, from asking for it to its swap
     */
    /**
     * Rebuilds a projection until the JIT compiled for less than a tenth of a rebuild's time (at most four times): a
     * second rebuild after a start still had the compiler threads at 0.2-0.4 of a core, a third of the platform's CPU.
     */
    private void warmUp(String projection) throws Exception {
        for (int round = 1; round <= 4; round++) {
            quiet();
            String label = "warm-up " + (round == 1 ? "1, the first after start" : Integer.toString(round))
                    + ", not compared";
            double compiling = jitShare(() -> rebuild(projection, label));
            if (compiling < 0.1) {
                return;
            }
        }
    }

    /** Runs a rebuild and returns the share of its time the JIT compiled, which its line reports. */
    private double jitShare(Callable<Double> rebuild) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long compiled = jit.getTotalCompilationTime();
        long begin = System.nanoTime();
        rebuild.call();
        double share = (jit.getTotalCompilationTime() - compiled) / ((System.nanoTime() - begin) / 1e6);
        line("  JIT meanwhile", "compiling %.0f%% of the time (of one thread)", 100 * share);
        return share;
    }

    private double rebuild(String projection, String label) throws Exception {
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
        await().atMost(Duration.ofMinutes(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                rebuilds.status().stream().filter(s -> projection.equals(s.name())).allMatch(s ->
                        !Boolean.TRUE.equals(s.rebuilding()) && s.position() != null && s.position() >= head));
        double seconds = seconds(begin);
        done.set(true);
        reader.join();
        double rate = head / seconds;
        line("rebuild " + projection + (label.isEmpty() ? "" : " (" + label + ")"), "%,d events in %.1f s = "
                        + "%,.0f events/s; %,d audit queries meanwhile (one every %d ms), slowest %.0f ms, fewest "
                        + "events seen %,d (before: %,d)", head, seconds, rate, queries.get(), READER_PAUSE_MILLIS,
                slowestNanos.get() / 1e6, fewest.get(), before);
        assertThat(fewest.get()).as("no query during the rebuild sees fewer events than before it")
                .isGreaterThanOrEqualTo(before);
        return rate;
    }

    /**
     * The projection's rebuild throughput with two segments (two threads of this process, each taking about half
     * of the streams) and with one: the segments are merged through the processor, the projection rebuilt, and the
     * segments split again, so the token store ends as it began.
     */
    private void segments(String projection) throws Exception {
        StreamingEventProcessor processor = processing.eventProcessor(projection, StreamingEventProcessor.class)
                .orElseThrow();
        long head = head();
        double two = timedRebuild(projection, head);
        assertThat(processor.processingStatus()).hasSize(2);
        line(projection + " x2", "%,d events rebuilt in %.1f s = %,.0f events/s with 2 segments", head, two,
                head / two);
        await().atMost(Duration.ofMinutes(2)).until(() -> processor.processingStatus().size() == 2);
        assertThat(processor.mergeSegment(0).get(2, TimeUnit.MINUTES)).as("segments merged").isTrue();
        await().atMost(Duration.ofMinutes(2)).until(() -> processor.processingStatus().size() == 1);
        double one = timedRebuild(projection, head);
        line(projection + " x1", "%,d events rebuilt in %.1f s = %,.0f events/s with 1 segment; 2 segments are "
                + "%.2fx one", head, one, head / one, one / two);
        assertThat(processor.splitSegment(0).get(2, TimeUnit.MINUTES)).as("segment split again").isTrue();
        await().atMost(Duration.ofMinutes(2)).until(() -> processor.processingStatus().size() == 2);
    }

    private double timedRebuild(String projection, long head) {
        long begin = System.nanoTime();
        rebuilds.rebuild(projection);
        await().atMost(Duration.ofMinutes(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                rebuilds.status().stream().filter(s -> projection.equals(s.name())).allMatch(s ->
                        !Boolean.TRUE.equals(s.rebuilding()) && s.position() != null && s.position() >= head));
        return seconds(begin);
    }

    private static long auditTotal(GraphQlClient client) {
        return client.execute("{ auditEvents(first: 1) { totalCount } }", Map.of()).path("auditEvents")
                .path("totalCount").asLong();
    }

    /** Waits until every processor has caught up with the log and Elasticsearch is merging nothing. */
    private void quiet() {
        awaitCaughtUp(head());
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() ->
                es.indices().stats(st -> st.index("annals-*")).all().total().merges().current() == 0);
    }

    /**
     * lineage of random model versions and the impact of the most-used batch, one request at a time, beside the same
     * reads done straight to Elasticsearch and beside the trivial query, timed by {@link LatencyProbe} in a JVM of its
     * own (as a client on another machine: its garbage and its JIT do not land on the server). It repeats every kind
     * of request for {@code annals.bench.warmup-seconds} (60) first, and then until the server's JIT has gone quiet,
     * so that what is measured is a warm server.
     */
    private void latencies(int runs) throws Exception {
        // the rebuilds leave Elasticsearch merging the segments of the new generations for a while; latency is
        // measured once it is done, as a platform that is not rebuilding would see it
        long settling = System.nanoTime();
        quiet();
        line("merges settled", "%.1f s after the last rebuild", seconds(settling));
        // the history was built in this JVM: a server would not carry the garbage of appending it (1.2 GB of it kept
        // young collections at 40-60 ms until the old generation was next collected)
        System.gc();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String warmup = System.getProperty("annals.bench.warmup-seconds", "60");
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long begin = System.nanoTime();
        Process probe = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), LatencyProbe.class.getName(),
                "http://127.0.0.1:" + port + "/graphql", TOKEN, elasticsearch.url(), Integer.toString(MODELS),
                Integer.toString(runs / MODELS), HOT_BATCH, ModelProjection.VERSIONS.alias(),
                TrainingRunProjection.RUNS.alias(), DatasetProjection.BATCHES.alias(),
                DatasetProjection.DATASETS.alias(), warmup)).redirectErrorStream(true).start();
        var lines = new java.io.BufferedReader(new java.io.InputStreamReader(probe.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder output = new StringBuilder();
        String row = lines.readLine();
        for (; row != null && !row.equals("warm"); row = lines.readLine()) {
            output.append(row).append('\n');
        }
        boolean warm = row != null;
        if (warm) {
            Machine.awaitQuietJit(jit);
        }
        double warmSeconds = seconds(begin);
        long compiledBefore = jit.getTotalCompilationTime();
        if (warm) {
            probe.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            probe.getOutputStream().flush();
        }
        for (row = lines.readLine(); row != null; row = lines.readLine()) {
            output.append(row).append('\n');
        }
        assertThat(probe.waitFor()).as(output.toString()).isZero();
        double measuredSeconds = seconds(begin) - warmSeconds;
        Map<String, double[]> figures = new LinkedHashMap<>();
        for (String text : output.toString().split("\n")) {
            String[] f = text.trim().split(" ");
            if (f.length == 4 && f[0].equals("latency")) {
                figures.put(f[1], new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])});
            }
        }
        assertThat(figures).as(output.toString()).containsKeys("me", "lineage", "lineage-raw", "batchImpact",
                "batchImpact-raw");
        line("latency client", "a JVM of its own, warmed up for %.0f s (at least %s s, then until the server's JIT "
                + "went quiet); measured for %.0f s, while the server's JIT compiled for %.1f s", warmSeconds, warmup,
                measuredSeconds, (jit.getTotalCompilationTime() - compiledBefore) / 1e3);
        line("GraphQL round trip", "{ me }: p50 %.2f ms, p99 %.2f ms over 1,000 requests (the floor under any query)",
                figures.get("me")[0], figures.get("me")[1]);
        line("lineage, raw", "p50 %.2f ms, p99 %.2f ms: the same reads straight to Elasticsearch (the version and "
                        + "its run in one _msearch, then an _mget)",
                figures.get("lineage-raw")[0], figures.get("lineage-raw")[1]);
        line("lineage", "p50 %.2f ms, p99 %.2f ms over 1,000 requests (goal p99 <= 20 ms)",
                figures.get("lineage")[0], figures.get("lineage")[1]);
        line("batchImpact (hot batch)", "p50 %.2f ms, p99 %.2f ms over 500 requests, batch read by %,d runs "
                + "(goal p99 <= 50 ms)", figures.get("batchImpact")[0], figures.get("batchImpact")[1], runs / 10);
        line("batchImpact, raw", "p50 %.2f ms, p99 %.2f ms: its reads straight to Elasticsearch (without the search "
                + "for training sets)", figures.get("batchImpact-raw")[0], figures.get("batchImpact-raw")[1]);
    }
}
