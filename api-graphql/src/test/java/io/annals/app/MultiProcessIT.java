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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * six Annals JVMs on it: two with the command role (and the query side), two training workers, two serving replicas
 * that also watch for drift. The four workers have no command side of their own: they send their commands to the
 * two command processes. The lifecycle runs across them, then one process of each role is killed (SIGKILL) — the
 * training worker in the middle of a run, a command process, a serving replica with its drift monitor — and the
 * survivors take over: the run, commands, the projections, serving and drift monitoring, with every event once in
 * the store, on annals.events and in the audit log.
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

    /** The discard port of loopback: nothing listens there on this machine or in CI. */
    private static final String NO_DATABASE = "jdbc:postgresql://127.0.0.1:9/no-database-here";

    private ChildPlatform launch(String name, String roles, Path stackProperties, List<String> commandUrls)
            throws IOException {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.config.import=file:" + stackProperties, "--annals.stack.mode=external",
                "--annals.stack.data-dir=" + root.resolve(name), "--annals.roles=" + roles, "--server.port=0",
                "--annals.workers.training.worker-id=" + name,
                "--annals.security.tokens.tester=" + TOKEN, "--annals.security.roles.tester=admin",
                "--annals.workers.training.lease=PT10S", "--annals.workers.snapshots.every=PT2S"));
        if (!commandUrls.isEmpty()) {
            arguments.add("--annals.command.url=" + String.join(",", commandUrls));
        }
        if (!roles.contains("command") && !roles.contains("query")) {
            // a worker opens no database: given a PostgreSQL address where nothing listens, it must still work
            arguments.add("--annals.postgres.url=" + NO_DATABASE);
            arguments.add("--annals.postgres.password=not-the-password");
        }
        ChildPlatform platform = ChildPlatform.start(root.resolve(name), "640m", arguments);
        processes.add(platform.process());
        return platform;
    }

    /** Starts the named processes together and waits until each is ready. */
    private void startAll(List<String> names, Map<String, String> layout, Path properties, List<String> commandUrls,
                          Map<String, Node> nodes) throws IOException {
        Map<String, ChildPlatform> started = new LinkedHashMap<>();
        for (String name : names) {
            started.put(name, launch(name, layout.get(name), properties, commandUrls));
        }
        started.forEach((name, platform) -> nodes.put(name, new Node(name, layout.get(name), platform.process(),
                platform.awaitReady(Duration.ofSeconds(240)))));
    }

    private static int status(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Authorization",
                "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ me }\"}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static JsonNode getJson(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
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
    void givenSixProcessesInFourRolesOnOneStack_whenTheLifecycleRunsAcrossThemAndOneOfEachRoleIsKilled_thenEverythingHappensOnceAndTheSurvivorsTakeOver()
            throws Exception {
        root = Files.createTempDirectory("annals-multi",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path stackDir = root.resolve("stack");
        stack = EmbeddedStack.start(StackSettings.allEmbedded(stackDir));
        Path properties = StackOnly.writeProperties(stackDir, stack.endpoints());

        // two processes accept commands (and answer queries); the others send theirs to them
        Map<String, String> layout = new LinkedHashMap<>();
        layout.put("c1", "command,query,webhook-dispatcher,api");
        layout.put("c2", "command,query,api");
        layout.put("t1", "training-worker,api");
        layout.put("t2", "training-worker");
        layout.put("s1", "serving-worker,drift-monitor,api");
        layout.put("s2", "serving-worker,drift-monitor,api");
        Map<String, Node> nodes = new LinkedHashMap<>();
        startAll(List.of("c1", "c2"), layout, properties, List.of(), nodes);
        List<String> commandUrls = List.of(nodes.get("c1").url(), nodes.get("c2").url());
        startAll(List.of("t1", "t2", "s1", "s2"), layout, properties, commandUrls, nodes);
        Node c1 = nodes.get("c1");
        Node c2 = nodes.get("c2");
        Node t1 = nodes.get("t1");
        Node s1 = nodes.get("s1");
        Node s2 = nodes.get("s2");
        List<Node> replicas = List.of(s1, s2);
        for (String worker : List.of("t1", "t2", "s1", "s2")) {
            assertThat(Files.readString(root.resolve(worker).resolve("annals.log")))
                    .as(worker + " has no command side of its own")
                    .contains("Commands go to the command role at " + commandUrls);
        }

        // the publisher and the policies follow the event store in the command processes only; the workers run no
        // event processor at all
        for (Node node : nodes.values()) {
            if (!node.roles().contains("api")) {
                // without the api role there is no GraphQL (nor console) at all
                assertThat(status(node.url() + "/graphql")).as(node.name()).isEqualTo(404);
                continue;
            }
            List<String> processors = new ArrayList<>();
            node.api().execute("{ processors { name } }", Map.of()).path("processors")
                    .forEach(p -> processors.add(p.path("name").asText()));
            if (node.roles().contains("command")) {
                assertThat(processors).as(node.name()).contains("kafka-publisher", "model-registration",
                        "rollout-guard", "audit-projection");
            } else {
                assertThat(processors).as(node.name()).isEmpty();
            }
        }

        // the workers open no database (their PostgreSQL address leads nowhere): their health has no database in it,
        // and they read the record — access, tokens, datasets — through the command processes. A token made through a
        // training worker works at once through a serving replica, which shows it with its last use.
        for (String worker : List.of("t1", "t2", "s1", "s2")) {
            JsonNode health = getJson(nodes.get(worker).url() + "/actuator/health");
            assertThat(health.path("status").asText()).as(worker).isEqualTo("UP");
            assertThat(health.path("components").has("postgres")).as(worker + ": " + health).isFalse();
            assertThat(health.path("components").has("kafka")).as(worker + ": " + health).isTrue();
        }
        JsonNode made = t1.api().execute("mutation { createApiToken(input: {name: \"mp\", expiresIn: \"PT1H\", "
                + "principal: \"user:mp-reader\"}) { secret token { tokenId } errors { message } } }", Map.of())
                .path("createApiToken");
        assertThat(made.path("errors")).as(made.toString()).isEmpty();
        String tokenId = made.path("token").path("tokenId").asText();
        assertThat(tokenId).isNotEmpty();
        GraphQlClient reader = s2.api().withToken(made.path("secret").asText());
        assertThat(reader.execute("{ me }", Map.of()).path("me").asText()).isEqualTo("user:mp-reader");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode tokens = s1.api().execute("{ accessOf(principal: \"user:mp-reader\") { tokens { tokenId "
                    + "lastUsedAt } } }", Map.of()).path("accessOf").path("tokens");
            assertThat(tokens).hasSize(1);
            assertThat(tokens.path(0).path("tokenId").asText()).isEqualTo(tokenId);
            assertThat(tokens.path(0).path("lastUsedAt").isTextual()).as(tokens.toString()).isTrue();
        });

        // a process without the query role says so when it is asked a query
        JsonNode refused = s2.api().response("{ models(first: 1) { totalCount } }", Map.of());
        assertThat(refused.path("errors").path(0).path("message").asText()).contains("does not run the query role");
        assertThat(refused.path("errors").path(0).path("extensions").path("classification").asText())
                .isEqualTo("UNAVAILABLE");

        // a mutation and uploads through processes without the command role; runs requested through both command
        // processes, trained by whichever training worker claims each
        mutate(t1, "registerDataset", """
                mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) { errors { message } } }""",
                Map.of("name", "mp-data", "columns", List.of(Map.of("name", "x", "type", "DOUBLE"),
                        Map.of("name", "label", "type", "LONG"))));
        String b1 = upload(s1, csv(root, "b1.csv", 2000, 1));
        String b2 = upload(c2, csv(root, "b2.csv", 2000, 2));
        String r1 = train(c1, List.of(b1), 3);
        String r2 = train(c2, List.of(b1, b2), 3);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                run(c1, r1).path("modelVersion").asInt() > 0 && run(c2, r2).path("modelVersion").asInt() > 0);
        int v1 = run(c1, r1).path("modelVersion").asInt();
        int v2 = run(c1, r2).path("modelVersion").asInt();
        assertThat(Set.of(v1, v2)).containsExactlyInAnyOrder(1, 2);

        // a deploy through one process is served by both replicas; so are the next deploy and the rollback
        deploy(c2, 1, "first release");
        mutate(c1, "configureDriftMonitor", """
                mutation($input: ConfigureDriftMonitorInput!) { configureDriftMonitor(input: $input) {
                  errors { message } } }""", Map.of("endpoint", "mp-endpoint", "psiThreshold", 0.2,
                "windowSize", 100));
        awaitServing(replicas, 1);
        deploy(c1, 2, "second");
        awaitServing(replicas, 2);
        mutate(c2, "rollBackEndpoint", """
                mutation($input: RollBackEndpointInput!) { rollBackEndpoint(input: $input) { revision
                  errors { message } } }""", Map.of("endpoint", "mp-endpoint", "reason", "back to the first"));
        awaitServing(replicas, 1);

        // scores from both replicas reach one monitor per endpoint: a drifting window raises its alert once
        driftUntilAlert(replicas, c1, 1);

        // a pipeline ticking every second with a clock in each command process: for a few seconds both wake it; every
        // tick is considered once (checked at the end), then the schedule is taken away
        Map<String, Object> scheduled = new java.util.HashMap<>(Map.of("name", "mp-nightly", "model", "mp-piped",
                "trainingSpec", Map.of("task", "BINARY_CLASSIFICATION", "features", List.of("x"), "label", "label",
                        "hyperparameters", Map.of("epochs", 1, "hiddenUnits", List.of(2))),
                "inputs", List.of(Map.of("dataset", "mp-data")),
                "trigger", Map.of("schedule", Map.of("cron", "* * * * * *"))));
        mutate(c1, "registerPipeline", """
                mutation($input: RegisterPipelineInput!) { registerPipeline(input: $input) { errors { message } } }""",
                scheduled);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> audit(c1, "pipeline",
                "mp-nightly").stream().filter(e -> e.path("type").asText().equals("annals.PipelineScheduleTicked"))
                .count() >= 5);
        scheduled.remove("trigger");
        mutate(c2, "registerPipeline", """
                mutation($input: RegisterPipelineInput!) { registerPipeline(input: $input) { errors { message } } }""",
                scheduled);

        // a rebuild asked of the query process that holds none of the audit projection's segments (c1, started
        // first, took both): c1 lets go of them when it sees the request, c2 replays the log into a new generation
        // and swaps it in, c1 starts again; the audit log is checked whole at the end
        JsonNode rebuilt = c2.api().execute("""
                mutation { rebuildProjection(input: {name: "audit-projection"}) { projection { rebuilding }
                  errors { code message } } }""", Map.of()).path("rebuildProjection");
        assertThat(rebuilt.path("errors")).as(rebuilt.toString()).isEmpty();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (JsonNode p : c2.api().execute("{ projections { name rebuilding } }", Map.of()).path("projections")) {
                if (p.path("name").asText().equals("audit-projection")) {
                    return !p.path("rebuilding").asBoolean();
                }
            }
            return false;
        });
        String c1Log = Files.readString(root.resolve("c1").resolve("annals.log"));
        assertThat(c1Log).contains("Projection audit-projection stopped here while query process");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(root.resolve("c1").resolve("annals.log"))
                .contains("Projection audit-projection starts again here"));
        assertThat(Files.readString(root.resolve("c2").resolve("annals.log")))
                .contains("Rebuilt projection audit-projection");

        // a long run; then one process of each role is killed outright: the training worker in the middle of
        // it, a command process, a serving replica with its drift monitor
        String r3 = train(c1, List.of(upload(c1, csv(root, "b3.csv", 30_000, 3))), 40);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> run(c1, r3).path("epochs").size() >= 1);
        String holder = run(c1, r3).path("workerId").asText();
        Node trainer = nodes.get(holder);
        assertThat(trainer).as("the worker holding " + r3 + " is one of ours: " + holder).isNotNull();
        for (Node victim : List.of(trainer, c2, s1)) {
            victim.process().destroyForcibly();
        }
        for (Node victim : List.of(trainer, c2, s1)) {
            victim.process().waitFor();
        }
        Node survivor = trainer == t1 ? nodes.get("t2") : t1;
        Node query = c1;
        System.out.println("Killed " + trainer.name() + ", c2 and s1 at epoch " + run(query, r3).path("epochs").size()
                + " of 40; training goes on in " + survivor.name() + ", commands and queries in c1, serving in s2");

        // the survivors take over: the run (when its lease runs out), commands, serving, projections, drift
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> "COMPLETED".equals(run(query, r3).path("status").asText()));
        JsonNode completed = run(query, r3);
        assertThat(completed.path("attempt").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(completed.path("workerId").asText()).isEqualTo(survivor.name());
        Set<Integer> epochs = new HashSet<>();
        completed.path("epochs").forEach(e -> epochs.add(e.path("epoch").asInt()));
        assertThat(epochs).hasSize(40);
        awaitServing(List.of(s2), 1);
        deploy(query, 2, "after the crash");
        awaitServing(List.of(s2), 2);
        driftUntilAlert(List.of(s2), query, 2);

        // the killed training worker comes back: it starts from the workers' snapshot, not from the first event,
        // sends its commands to the command process left, and the next run is trained once
        ChildPlatform restarted = launch(trainer.name(), layout.get(trainer.name()), properties,
                List.of(c1.url()));
        restarted.awaitReady(Duration.ofSeconds(240));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String log = Files.readString(restarted.log());
            return log.contains("training-worker: replaying annals.events from its snapshot of ")
                    && log.contains("training-worker: caught up after replaying");
        });
        String r4 = train(c1, List.of(b1), 3);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> "COMPLETED".equals(run(query, r4).path("status").asText()));

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
        for (String runId : List.of(r1, r2, r4)) {
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

        // every tick of the pipeline's schedule considered once, though two clocks woke it
        Set<String> ticks = new HashSet<>();
        for (JsonNode e : audit(query, "pipeline", "mp-nightly")) {
            if (e.path("type").asText().equals("annals.PipelineScheduleTicked")) {
                String tick = JSON.readTree(e.path("payload").asText()).path("tick").asText();
                assertThat(ticks.add(tick)).as("tick considered once: " + tick).isTrue();
            }
        }
        assertThat(ticks).hasSizeGreaterThanOrEqualTo(5);

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
