package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.app.demo.GraphQlClient;
import io.annals.command.api.common.KafkaTopics;
import io.annals.infra.clients.KafkaClients;
import io.annals.infra.clients.KafkaSettings;
import io.annals.infra.stack.EmbeddedStack;
import io.annals.infra.stack.StackOnly;
import io.annals.infra.stack.StackSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Annals past one process: the embedded stack started once in "stack only" mode (as {@link StackOnly} does), and
 * three Annals JVMs on it with different roles. Every process accepts commands (the command side runs in each,
 * against the one event store); two run the query side, two train, two serve and two watch for drift. The lifecycle
 * runs across them, then the process training a run is killed (SIGKILL), and the survivors take over: the run, the
 * projections, serving and drift monitoring, with every event once in the store, on annals.events and in the audit
 * log.
 */
class MultiProcessIT {

    private static final String TOKEN = "multi-token-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Node(String name, String roles, Process process, String url) {
        GraphQlClient api() {
            return new GraphQlClient(url, TOKEN);
        }
    }

    private final List<Process> processes = new ArrayList<>();
    private EmbeddedStack stack;
    private Path root;

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroy();
                p.waitFor();
            }
        }
        // each process's log, kept where a failed build can be read
        if (root != null) {
            Path kept = Files.createDirectories(Path.of("target", "multi-process"));
            try (var dirs = Files.list(root)) {
                for (Path dir : dirs.toList()) {
                    Path log = dir.resolve("annals.log");
                    if (Files.exists(log)) {
                        Files.copy(log, kept.resolve(dir.getFileName() + ".log"),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        if (stack != null) {
            stack.close();
        }
        if (root != null) {
            PlatformTestSupport.deleteTree(root);
        }
    }

    private ChildPlatform launch(String name, String roles, Path stackProperties) throws IOException {
        ChildPlatform platform = ChildPlatform.start(root.resolve(name), "768m", List.of(
                "--spring.config.import=file:" + stackProperties, "--annals.stack.mode=external",
                "--annals.stack.data-dir=" + root.resolve(name), "--annals.roles=" + roles, "--server.port=0",
                "--annals.workers.training.worker-id=" + name,
                "--annals.security.tokens.tester=" + TOKEN, "--annals.security.roles.tester=admin",
                "--annals.workers.training.lease=PT10S"));
        processes.add(platform.process());
        return platform;
    }

    private static Path csv(Path dir, String name, int rows, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder("x,label\n");
        for (int i = 0; i < rows; i++) {
            double x = r.nextGaussian();
            s.append(x).append(',').append(x > 0 ? 1 : 0).append('\n');
        }
        return Files.writeString(dir.resolve(name), s.toString());
    }

    private static String upload(Node node, Path file) {
        GraphQlClient.Rest r = node.api().postCsv("/v1/datasets/mp-data/batches?partition=p", file);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return r.body().path("batchId").asText();
    }

    private static String train(Node node, List<String> batches, int epochs) {
        List<Map<String, Object>> refs = batches.stream().map(b -> Map.<String, Object>of("dataset", "mp-data",
                "batchId", b)).toList();
        JsonNode answer = node.api().execute("""
                mutation($b: [BatchRefInput!]!, $e: Int!) { requestTrainingRun(input: {model: "mp-model",
                  task: BINARY_CLASSIFICATION, batches: $b, features: ["x"], label: "label",
                  hyperparameters: {epochs: $e, hiddenUnits: [16, 8]}}) { runId errors { message } } }""",
                Map.of("b", refs, "e", epochs));
        String runId = answer.path("requestTrainingRun").path("runId").asText();
        assertThat(runId).as(answer.toString()).isNotBlank();
        return runId;
    }

    private static JsonNode run(Node node, String runId) {
        return node.api().execute("""
                query($id: ID!) { trainingRun(id: $id) { status attempt workerId modelVersion epochs { epoch } } }""",
                Map.of("id", runId)).path("trainingRun");
    }

    private static void mutate(Node node, String field, String document, Map<String, Object> input) {
        JsonNode answer = node.api().execute(document, Map.of("input", input));
        assertThat(answer.path(field).path("errors")).as(answer.toString()).isEmpty();
    }

    private static void deploy(Node node, int version, String reason) {
        mutate(node, "deployModel", """
                mutation($input: DeployModelInput!) { deployModel(input: $input) { revision errors { message } } }""",
                Map.of("endpoint", "mp-endpoint", "model", "mp-model", "version", version, "reason", reason));
    }

    private static GraphQlClient.Rest predict(Node node, List<Double> xs) {
        List<Map<String, Object>> rows = xs.stream().map(x -> Map.<String, Object>of("x", x)).toList();
        return node.api().postJson("/v1/endpoints/mp-endpoint/predict", Map.of("rows", rows));
    }

    /** Waits until every serving node answers with the version. */
    private static void awaitServing(List<Node> replicas, int version) {
        for (Node replica : replicas) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                GraphQlClient.Rest r = predict(replica, List.of(0.5));
                assertThat(r.status()).as(replica.name() + ": " + r.body()).isEqualTo(200);
                assertThat(r.body().path("version").asInt()).as(replica.name() + " serves").isEqualTo(version);
            });
        }
    }

    private static int alerts(Node node, int version) {
        JsonNode edges = node.api().execute("""
                { driftAlerts(endpoint: "mp-endpoint", first: 500) { edges { node { version } } } }""", Map.of())
                .path("driftAlerts").path("edges");
        int n = 0;
        for (JsonNode e : edges) {
            n += e.path("node").path("version").asInt() == version ? 1 : 0;
        }
        return n;
    }

    /** Sends shifted rows to the replicas in turn until a drift alert is raised against the version. */
    private static void driftUntilAlert(List<Node> replicas, Node query, int version) {
        Random shifted = new Random(version);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (Node replica : replicas) {
                List<Double> xs = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    xs.add(shifted.nextGaussian() + 2.5);
                }
                assertThat(predict(replica, xs).status()).isEqualTo(200);
            }
            return alerts(query, version) > 0;
        });
    }

    private static List<JsonNode> audit(Node node, String kind, String id) {
        List<JsonNode> events = new ArrayList<>();
        String after = null;
        do {
            Map<String, Object> variables = new HashMap<>();
            variables.put("kind", kind);
            variables.put("id", id);
            variables.put("after", after);
            JsonNode page = node.api().execute("""
                    query($kind: String, $id: String, $after: String) { auditEvents(filter: {entityKind: $kind,
                      entityId: $id}, first: 500, after: $after) { edges { node { type payload } }
                      pageInfo { hasNextPage endCursor } } }""", variables).path("auditEvents");
            page.path("edges").forEach(e -> events.add(e.path("node")));
            after = page.path("pageInfo").path("hasNextPage").asBoolean() ? page.path("pageInfo").path("endCursor")
                    .asText() : null;
        } while (after != null);
        return events;
    }

    private static long count(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).count();
    }

    @Test
    void givenThreeProcessesOnOneStack_whenTheLifecycleRunsAcrossThemAndOneIsKilled_thenEverythingHappensOnceAndTheSurvivorsTakeOver()
            throws Exception {
        root = Files.createTempDirectory("annals-multi",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path stackDir = root.resolve("stack");
        stack = EmbeddedStack.start(StackSettings.allEmbedded(stackDir));
        Path properties = StackOnly.writeProperties(stackDir, stack.endpoints());

        Map<String, String> layout = new LinkedHashMap<>();
        layout.put("api", "query,webhook-dispatcher");
        layout.put("w1", "query,training-worker,serving-worker,drift-monitor");
        layout.put("w2", "training-worker,serving-worker,drift-monitor");
        Map<String, ChildPlatform> started = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : layout.entrySet()) {
            started.put(e.getKey(), launch(e.getKey(), e.getValue(), properties));
        }
        Map<String, Node> nodes = new LinkedHashMap<>();
        started.forEach((name, platform) -> nodes.put(name, new Node(name, layout.get(name), platform.process(),
                platform.awaitReady(Duration.ofSeconds(240)))));
        Node api = nodes.get("api");
        Node w1 = nodes.get("w1");
        Node w2 = nodes.get("w2");
        List<Node> replicas = List.of(w1, w2);

        // a process without the query role says so when it is asked a query
        JsonNode refused = w2.api().response("{ models(first: 1) { totalCount } }", Map.of());
        assertThat(refused.path("errors").path(0).path("message").asText()).contains("does not run the query role");
        assertThat(refused.path("errors").path(0).path("extensions").path("classification").asText())
                .isEqualTo("UNAVAILABLE");

        // data through two processes, runs requested through two, trained by whichever worker claims each
        mutate(api, "registerDataset", """
                mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) { errors { message } } }""",
                Map.of("name", "mp-data", "columns", List.of(Map.of("name", "x", "type", "DOUBLE"),
                        Map.of("name", "label", "type", "LONG"))));
        String b1 = upload(w1, csv(root, "b1.csv", 2000, 1));
        String b2 = upload(w2, csv(root, "b2.csv", 2000, 2));
        String r1 = train(api, List.of(b1), 3);
        String r2 = train(w2, List.of(b1, b2), 3);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                run(api, r1).path("modelVersion").asInt() > 0 && run(api, r2).path("modelVersion").asInt() > 0);
        int v1 = run(api, r1).path("modelVersion").asInt();
        int v2 = run(api, r2).path("modelVersion").asInt();
        assertThat(Set.of(v1, v2)).containsExactlyInAnyOrder(1, 2);

        // a deploy through one process is served by both replicas; so are the next deploy and the rollback
        deploy(w1, 1, "first release");
        mutate(api, "configureDriftMonitor", """
                mutation($input: ConfigureDriftMonitorInput!) { configureDriftMonitor(input: $input) {
                  errors { message } } }""", Map.of("endpoint", "mp-endpoint", "psiThreshold", 0.2,
                "windowSize", 100));
        awaitServing(replicas, 1);
        deploy(w2, 2, "second");
        awaitServing(replicas, 2);
        mutate(api, "rollBackEndpoint", """
                mutation($input: RollBackEndpointInput!) { rollBackEndpoint(input: $input) { revision
                  errors { message } } }""", Map.of("endpoint", "mp-endpoint", "reason", "back to the first"));
        awaitServing(replicas, 1);

        // scores from both replicas reach one monitor per endpoint: a drifting window raises its alert once
        driftUntilAlert(replicas, api, 1);

        // a long run; the process that trains it is killed outright in the middle
        String r3 = train(api, List.of(upload(api, csv(root, "b3.csv", 30_000, 3))), 40);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> run(api, r3).path("epochs").size() >= 1);
        String holder = run(api, r3).path("workerId").asText();
        Node victim = nodes.get(holder);
        assertThat(victim).as("the worker holding " + r3 + " is one of ours: " + holder).isNotNull();
        victim.process().destroyForcibly().waitFor();
        Node survivor = victim == w1 ? w2 : w1;
        Node query = victim == w1 ? api : w1;
        System.out.println("Killed " + victim.name() + " (" + victim.roles() + ") at epoch "
                + run(query, r3).path("epochs").size() + " of 40; the workers go on in " + survivor.name()
                + ", the queries in " + query.name());

        // the survivors take over: the run (when its lease runs out), serving, the projections, drift monitoring
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> "COMPLETED".equals(run(query, r3).path("status").asText()));
        JsonNode completed = run(query, r3);
        assertThat(completed.path("attempt").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(completed.path("workerId").asText()).isEqualTo(survivor.name());
        Set<Integer> epochs = new HashSet<>();
        completed.path("epochs").forEach(e -> epochs.add(e.path("epoch").asInt()));
        assertThat(epochs).hasSize(40);
        awaitServing(List.of(survivor), 1);
        deploy(query, 2, "after the crash");
        awaitServing(List.of(survivor), 2);
        driftUntilAlert(List.of(survivor), query, 2);

        // every event once: in the store, on annals.events and in the audit log
        long[] stored = new long[1];
        KafkaClients kafka = new KafkaClients(KafkaSettings.of(stack.endpoints().kafkaBootstrap()));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            long now;
            try (Connection db = DriverManager.getConnection(stack.endpoints().postgresUrl(),
                    stack.endpoints().postgresUser(), stack.endpoints().postgresPassword());
                 ResultSet rs = db.createStatement().executeQuery("select count(*) from domainevententry")) {
                rs.next();
                now = rs.getLong(1);
            }
            stored[0] = now;
            List<String> ids = eventIds(kafka);
            assertThat(new HashSet<>(ids)).as("distinct events on annals.events").hasSize((int) now);
            assertThat(query.api().execute("{ auditEvents(first: 1) { totalCount } }", Map.of())
                    .path("auditEvents").path("totalCount").asLong()).as("events in the audit log").isEqualTo(now);
        });
        List<String> ids = eventIds(kafka);
        System.out.println(stored[0] + " events stored; " + ids.size() + " records on annals.events, "
                + (ids.size() - new HashSet<>(ids).size()) + " of them published again after the kill");

        // each command once: one claim and one completion per run (two claims for the run taken over)
        for (String runId : List.of(r1, r2)) {
            List<JsonNode> events = audit(query, "run", runId);
            assertThat(count(events, "annals.TrainingRunClaimed")).as(runId + " claims").isEqualTo(1);
            assertThat(count(events, "annals.TrainingRunCompleted")).as(runId + " completions").isEqualTo(1);
        }
        List<JsonNode> r3Events = audit(query, "run", r3);
        assertThat(count(r3Events, "annals.TrainingRunCompleted")).isEqualTo(1);
        assertThat(count(r3Events, "annals.TrainingRunClaimed")).isEqualTo(completed.path("attempt").asLong());
        List<JsonNode> endpointEvents = audit(query, "endpoint", "mp-endpoint");
        assertThat(count(endpointEvents, "annals.EndpointRevisionDeployed")).isEqualTo(3);
        assertThat(count(endpointEvents, "annals.EndpointRolledBack")).isEqualTo(1);

        // one alert per drifting window: no window raised twice, whichever monitor held the endpoint
        List<JsonNode> raised = audit(query, null, null).stream()
                .filter(e -> e.path("type").asText().equals("annals.DriftAlertRaised")).toList();
        assertThat(raised).hasSizeGreaterThanOrEqualTo(2);
        Set<String> windows = new HashSet<>();
        for (JsonNode e : raised) {
            JsonNode payload = JSON.readTree(e.path("payload").asText());
            String window = payload.path("alertId").asText() + "@" + payload.path("windowEnd").asText();
            assertThat(windows.add(window)).as("raised once: " + window).isTrue();
        }
    }

    private static List<String> eventIds(KafkaClients kafka) {
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = kafka.consumer("multi-process-test", null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(KafkaTopics.EVENTS).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    ids.add(new String(r.headers().lastHeader(KafkaTopics.HEADER_EVENT_ID).value(),
                            StandardCharsets.UTF_8));
                }
            }
        }
        return ids;
    }
}
