package io.annals.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.annals.app.AnnalsApplication;
import io.annals.app.OnnxFiles;
import io.annals.app.demo.GraphQlClient;
import io.annals.command.api.common.InputProfile;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.common.ScoreRecord;
import io.annals.command.api.endpoint.DriftMonitorConfigured;
import io.annals.command.api.endpoint.DriftMonitorSettings;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionEvaluated;
import io.annals.command.api.model.EvaluationId;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.infra.clients.WireJson;
import io.annals.workers.drift.DriftDetector;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Drift monitoring's speed on the embedded stack, in one run (README: "Drift: alert latency and monitor throughput"):
 * the time from the request that completes a drifting window to the {@code driftAlerts} subscriber and to a webhook
 * receiver, over 50 alerts (one endpoint each); and the monitor's throughput in rows of 20 features, against its
 * ceilings in the same run (Jackson alone parsing the same records; the detector alone). Off by default:
 * {@code -Dannals.bench=true}.
 */
@EnabledIfSystemProperty(named = "annals.bench", matches = "true")
@SpringBootTest(classes = AnnalsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"annals.security.tokens.bench=" + DriftBenchmarkIT.TOKEN, "annals.security.roles.bench=admin"})
class DriftBenchmarkIT {

    static final String TOKEN = "bench-token-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FEATURES = 20;
    private static final int ALERTS = Integer.getInteger("annals.bench.alerts", 50);
    private static final int RATE = Integer.getInteger("annals.bench.rows-per-second", 2_000);
    private static final int SECONDS = Integer.getInteger("annals.bench.seconds", 30);
    private static final int WINDOW = 50;

    static {
        Machine.useStackDataDirectory("annals-drift-bench", null);
    }

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry meters;

    private final List<String> report = new ArrayList<>();

    private static List<String> features() {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < FEATURES; j++) {
            names.add("f" + j);
        }
        return names;
    }

    private static Map<String, Object> row(Random random, double shift) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int j = 0; j < FEATURES; j++) {
            row.put("f" + j, Math.round((random.nextGaussian() + (j == 0 ? shift : 0)) * 1000) / 1000.0);
        }
        return row;
    }

    @Test
    void drift() throws Exception {
        GraphQlClient client = new GraphQlClient("http://127.0.0.1:" + port, TOKEN);
        String model = "drift-bench";
        importAndEvaluate(client, model);

        ConcurrentHashMap<String, Long> webhookSeen = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.createContext("/hook", exchange -> {
            long now = System.nanoTime();
            JsonNode event = JSON.readTree(exchange.getRequestBody().readAllBytes());
            webhookSeen.putIfAbsent(event.path("data").path("endpoint").asText(), now);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        JsonNode registered = client.execute("""
                mutation($u: String!) { registerWebhook(input: {url: $u, events: ["annals.DriftAlertRaised"],
                  secret: "bench-secret-0123456789"}) { webhook { id } errors { message } } }""",
                Map.of("u", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"));
        requireNoErrors(registered, "registerWebhook");

        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < ALERTS; i++) {
            String endpoint = "drift-bench-" + i;
            endpoints.add(endpoint);
            requireNoErrors(client.execute("""
                    mutation($e: String!, $m: String!) { deployModel(input: {endpoint: $e, model: $m, version: 1}) {
                      errors { message } } }""", Map.of("e", endpoint, "m", model)), "deployModel");
            requireNoErrors(client.execute("""
                    mutation($e: String!) { configureDriftMonitor(input: {endpoint: $e, psiThreshold: 0.2,
                      windowSize: 50}) { errors { message } } }""", Map.of("e", endpoint)), "configureDriftMonitor");
        }
        Random random = new Random(1);
        for (String endpoint : endpoints) {
            await().atMost(Duration.ofSeconds(60)).until(() -> client.postJson("/v1/endpoints/" + endpoint
                    + "/predict", Map.of("rows", List.of(row(random, 0)))).status() == 200);
        }
        // the one row each endpoint answered above opened its window: 48 more, then the one that completes it
        double[] subscription = new double[ALERTS];
        double[] webhook = new double[ALERTS];
        try (GraphQlClient.Subscription alerts = client.subscribe("""
                subscription { driftAlerts { endpoint status } }""", Map.of())) {
            for (int i = 0; i < ALERTS; i++) {
                String endpoint = endpoints.get(i);
                List<Map<String, Object>> rows = new ArrayList<>();
                for (int r = 0; r < WINDOW - 2; r++) {
                    rows.add(row(random, 6));
                }
                var rowsRead = meters.find("annals.drift.rows").counter();
                double read = rowsRead.count();
                assertThat(client.postJson("/v1/endpoints/" + endpoint + "/predict", Map.of("rows", rows)).status())
                        .isEqualTo(200);
                // the monitor has the 48 rows before the last one is timed
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                        .until(() -> rowsRead.count() >= read + rows.size());
                long start = System.nanoTime();
                assertThat(client.postJson("/v1/endpoints/" + endpoint + "/predict",
                        Map.of("rows", List.of(row(random, 6)))).status()).isEqualTo(200);
                Long seen = null;
                while (seen == null) {
                    JsonNode event = alerts.next(Duration.ofSeconds(30));
                    if (event == null) {
                        throw new IllegalStateException("no alert for " + endpoint + " within 30 s");
                    }
                    if (endpoint.equals(event.path("driftAlerts").path("endpoint").asText())) {
                        seen = System.nanoTime();
                    }
                }
                subscription[i] = (seen - start) / 1e6;
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                        .until(() -> webhookSeen.containsKey(endpoint));
                webhook[i] = (webhookSeen.get(endpoint) - start) / 1e6;
            }
        } finally {
            receiver.stop(0);
        }
        Arrays.sort(subscription);
        Arrays.sort(webhook);
        line("alert → driftAlerts subscriber", "p50 %.0f ms, p99 %.0f ms, max %.0f ms over %d alerts (goal p99 ≤ 2,000 ms)",
                pct(subscription, 0.5), pct(subscription, 0.99), subscription[ALERTS - 1], ALERTS);
        line("alert → webhook receiver", "p50 %.0f ms, p99 %.0f ms, max %.0f ms over %d alerts (goal p99 ≤ 2,000 ms)",
                pct(webhook, 0.5), pct(webhook, 0.99), webhook[ALERTS - 1], ALERTS);

        ceilings();
        liveThroughput(client, endpoints.get(0));
        System.out.println("\n== Annals drift benchmark ==\n" + String.join("\n", report) + "\nmachine: "
                + Machine.describe() + "; the platform, the embedded stack and this client share the cores");
    }

    /** The monitor's work per row without Kafka: Jackson alone, then Jackson and the detector (window 1,000). */
    private void ceilings() throws Exception {
        Random random = new Random(2);
        int n = 200_000;
        List<byte[]> records = new ArrayList<>(n);
        Instant t0 = Instant.now();
        for (int i = 0; i < 2_000; i++) {
            Map<String, Object> features = new HashMap<>(row(random, 0));
            records.add(WireJson.mapper().writeValueAsBytes(new ScoreRecord(UUID.randomUUID().toString(), "e", "m", 1,
                    1, random.nextDouble(), t0.plusMillis(i), null, false, null, features)));
        }
        List<Map<String, Object>> reference = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            reference.add(row(random, 0));
        }
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                WireJson.mapper().readTree(records.get(i % records.size()));
            }
            double parse = n / ((System.nanoTime() - start) / 1e9);
            DriftDetector detector = detector(reference);
            start = System.nanoTime();
            int windows = 0;
            for (int i = 0; i < n; i++) {
                ScoreRecord score = WireJson.mapper().readValue(records.get(i % records.size()), ScoreRecord.class);
                windows += detector.observe(score, 0, i).size() >= 0 ? 0 : 1;
            }
            double monitor = n / ((System.nanoTime() - start) / 1e9);
            if (round == 2) {
                line("ceiling: Jackson parsing a row of 20 features", "%,.0f rows/s", parse);
                line("monitor in-process (parse + windows of 1,000 + 21 tests a window)", "%,.0f rows/s "
                        + "(%.0f%% of the parse ceiling)", monitor, 100 * monitor / parse);
            }
            assertThat(windows).isZero();
        }
    }

    private static DriftDetector detector(List<Map<String, Object>> reference) {
        DriftDetector detector = new DriftDetector(new DriftMonitorSettings(0.2, 1_000));
        List<String> names = features();
        List<Object[]> rows = reference.stream().map(row -> names.stream()
                .map(name -> (Object) ((Double) row.get(name)).floatValue()).toArray()).toList();
        InputProfile profile = io.annals.workers.drift.InputProfiles.of(names, names.stream().map(n -> true).toList(),
                rows);
        detector.apply(new io.annals.command.api.model.ModelVersionRegistered(ModelName.of("m"), 1, null,
                io.annals.command.api.trainingrun.Task.BINARY_CLASSIFICATION, names,
                new io.annals.command.api.common.ArtifactRef("s3://a/m.onnx", "e".repeat(64), 1), Map.of(), null));
        detector.apply(new ModelVersionEvaluated(ModelName.of("m"), 1, EvaluationId.of("e"),
                new BatchRef(DatasetName.of("d"), BatchId.of("b")), reference.size(), Map.of(),
                new ScoreBaseline(List.of(0.5), List.of(0.5, 0.5), 5_000), profile));
        detector.apply(new DriftMonitorConfigured(EndpointName.of("e"), 0.2, 1_000));
        return detector;
    }

    /** Serving at {@code RATE} rows/s (batches of 100) for {@code SECONDS}: does the monitor keep up? */
    private void liveThroughput(GraphQlClient client, String endpoint) throws Exception {
        var rowsRead = meters.find("annals.drift.rows").counter();
        Random random = new Random(3);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int r = 0; r < 100; r++) {
            batch.add(row(random, 0));
        }
        String body = JSON.writeValueAsString(Map.of("rows", batch));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/endpoints/"
                + endpoint + "/predict")).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        double before = rowsRead.count();
        long intervalNanos = 1_000_000_000L * 100 / RATE;
        long start = System.nanoTime();
        long sent = 0;
        double maxLag = 0;
        for (long due = start; due < start + SECONDS * 1_000_000_000L; due += intervalNanos) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(200);
            sent += 100;
            maxLag = Math.max(maxLag, sent - (rowsRead.count() - before));
        }
        double servedSeconds = (System.nanoTime() - start) / 1e9;
        long drainStart = System.nanoTime();
        long target = sent;
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> rowsRead.count() - before >= target);
        double drain = (System.nanoTime() - drainStart) / 1e6;
        line("live: serving " + RATE + " rows/s of 20 features for " + SECONDS + " s", "%,.0f rows/s served; the "
                + "monitor read all %,d rows %.0f ms after the last request (largest backlog %,.0f rows)",
                sent / servedSeconds, sent, drain, maxLag);
    }

    private void importAndEvaluate(GraphQlClient client, String model) throws Exception {
        Random random = new Random(5);
        float[] weights = new float[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            weights[j] = (float) (random.nextGaussian() * 0.3);
        }
        StringBuilder signature = new StringBuilder("{\"task\": \"BINARY_CLASSIFICATION\", \"features\": [");
        for (int j = 0; j < FEATURES; j++) {
            signature.append(j == 0 ? "" : ", ").append("{\"name\": \"f").append(j).append("\", \"type\": \"DOUBLE\"}");
        }
        signature.append("], \"output\": \"probability\", \"label\": \"y\"}");
        HttpResponse<String> imported = OnnxFiles.upload("http://127.0.0.1:" + port, TOKEN, model,
                OnnxFiles.logistic(weights, 0f), signature.toString());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);

        StringBuilder columns = new StringBuilder();
        for (int j = 0; j < FEATURES; j++) {
            columns.append("{name: \"f").append(j).append("\", type: DOUBLE}, ");
        }
        requireNoErrors(client.execute("mutation { registerDataset(input: {name: \"drift-bench-holdout\", columns: ["
                + columns + "{name: \"y\", type: LONG}]}) { errors { message } } }", Map.of()), "registerDataset");
        Path csv = Files.createTempFile("drift-bench", ".csv");
        StringBuilder rows = new StringBuilder(String.join(",", features()) + ",y\n");
        for (int i = 0; i < 5_000; i++) {
            Map<String, Object> row = row(random, 0);
            rows.append(row.values().stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow())
                    .append(',').append(random.nextInt(2)).append('\n');
        }
        Files.writeString(csv, rows);
        GraphQlClient.Rest batch = client.postCsv("/v1/datasets/drift-bench-holdout/batches?partition=p", csv);
        assertThat(batch.status()).as(batch.body().toString()).isEqualTo(201);
        requireNoErrors(client.execute("""
                mutation($b: ID!) { evaluateModelVersion(input: {model: "drift-bench", version: 1,
                  dataset: "drift-bench-holdout", batchId: $b}) { errors { message } } }""",
                Map.of("b", batch.body().path("batchId").asText())), "evaluateModelVersion");
        await().atMost(Duration.ofMinutes(2)).until(() -> "COMPLETED".equals(client.execute("""
                { model(name: "drift-bench") { versions { edges { node { evaluations { status } } } } } }""",
                Map.of()).path("model").path("versions").path("edges").path(0).path("node").path("evaluations")
                .path(0).path("status").asText()));
        line("model", "an imported logistic model of %d features, evaluated on 5,000 rows (its reference profile); "
                + "%d endpoints with windows of %d rows", FEATURES, ALERTS, WINDOW);
    }

    private static void requireNoErrors(JsonNode answer, String field) {
        JsonNode errors = answer.path("data").path(field).path("errors");
        if (answer.has("errors") || errors.size() > 0) {
            throw new IllegalStateException(field + ": " + answer);
        }
    }

    private static double pct(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private void line(String what, String format, Object... args) {
        String text = String.format(Locale.ROOT, "%-72s %s", what, String.format(Locale.ROOT, format, args));
        report.add(text);
        System.out.println(text);
    }
}
