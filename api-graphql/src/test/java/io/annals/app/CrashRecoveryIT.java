package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.app.demo.GraphQlClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The platform killed outright (SIGKILL) in the middle of a training run, then started again on the same data:
 * the run is taken over when its lease runs out and completes on a later attempt, no epoch is recorded twice in an
 * attempt, and the model it makes serves. The platform runs in a child JVM, so that it can be killed.
 */
class CrashRecoveryIT {

    private static final String TOKEN = "crash-token-0123456789abcdef";
    private static final Pattern READY = Pattern.compile("Health\\s+(http://\\S+)/actuator/health");

    private final List<Process> platforms = new ArrayList<>();
    private Path data;

    @AfterEach
    void stopEverything() throws Exception {
        for (Process platform : platforms) {
            if (platform.isAlive()) {
                platform.destroy(); // SIGTERM: the platform stops the servers it started
                platform.waitFor();
            }
        }
        if (data != null) {
            PlatformTestSupport.deleteTree(data);
        }
    }

    /** Starts the platform in a JVM of its own on the data directory and returns its base URL once it is ready. */
    private Map.Entry<Process, String> startPlatform(int generation) throws Exception {
        Path log = data.resolve("platform-" + generation + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "-Daxoniq.update-checker.disabled=true", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                AnnalsApplication.class.getName(),
                "--annals.stack.data-dir=" + data, "--server.port=0",
                "--annals.security.tokens.tester=" + TOKEN, "--annals.security.roles.tester=admin",
                "--annals.workers.training.lease=PT10S"));
        Process platform = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        platforms.add(platform);
        String[] url = new String[1];
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!platform.isAlive()) {
                throw new IllegalStateException("the platform exited: " + tail(log));
            }
            Matcher m = READY.matcher(Files.readString(log));
            if (m.find()) {
                url[0] = m.group(1);
                return true;
            }
            return false;
        });
        return Map.entry(platform, url[0]);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static String csv(int rows) {
        Random r = new Random(51);
        StringBuilder s = new StringBuilder("x,label\n");
        for (int i = 0; i < rows; i++) {
            double x = r.nextGaussian();
            s.append(x).append(',').append(x > 0 ? 1 : 0).append('\n');
        }
        return s.toString();
    }

    @Test
    void givenARunInTraining_whenThePlatformIsKilledAndStartedAgain_thenTheRunCompletesOnALaterAttempt()
            throws Exception {
        data = Files.createTempDirectory("annals-crash",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        var first = startPlatform(1);
        GraphQlClient api = new GraphQlClient(first.getValue(), TOKEN);
        api.execute("""
                mutation { registerDataset(input: {name: "crash-data", columns: [{name: "x", type: DOUBLE},
                  {name: "label", type: LONG}]}) { errors { message } } }""", Map.of());
        Path file = data.resolve("crash.csv");
        Files.writeString(file, csv(30_000));
        GraphQlClient.Rest uploaded = api.postCsv("/v1/datasets/crash-data/batches?partition=p", file);
        assertThat(uploaded.status()).as(uploaded.body().toString()).isEqualTo(201);
        JsonNode requested = api.execute("""
                mutation($b: ID!) { requestTrainingRun(input: {model: "crash-model", task: BINARY_CLASSIFICATION,
                  batches: [{dataset: "crash-data", batchId: $b}], features: ["x"], label: "label",
                  hyperparameters: {epochs: 40, hiddenUnits: [16, 8]}}) { runId errors { message } } }""",
                Map.of("b", uploaded.body().path("batchId").asText()));
        String runId = requested.path("requestTrainingRun").path("runId").asText();
        assertThat(runId).as(requested.toString()).isNotBlank();

        // kill the platform as soon as the run has recorded an epoch, so it dies in the middle of training
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> run(api, runId).path("epochs").size() >= 1);
        JsonNode beforeCrash = run(api, runId);
        assertThat(beforeCrash.path("status").asText()).isEqualTo("RUNNING");
        first.getKey().destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, nothing closed
        System.out.println("Killed the platform at epoch " + beforeCrash.path("epochs").size() + " of 40");

        var second = startPlatform(2);
        GraphQlClient again = new GraphQlClient(second.getValue(), TOKEN);
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> "COMPLETED".equals(run(again, runId).path("status").asText()));
        JsonNode completed = run(again, runId);
        assertThat(completed.path("attempt").asInt()).as("completed on a later attempt").isGreaterThanOrEqualTo(2);
        List<Integer> epochs = new ArrayList<>();
        completed.path("epochs").forEach(e -> epochs.add(e.path("epoch").asInt()));
        assertThat(epochs).as("each epoch once in the run").hasSize(40).doesNotHaveDuplicates();

        // in the log: within each attempt (between two claims), epochs strictly increase
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            JsonNode edges = again.execute("""
                    query($id: String) { auditEvents(filter: {entityKind: "run", entityId: $id}, first: 500) {
                      edges { node { type payload } } } }""", Map.of("id", runId))
                    .path("auditEvents").path("edges");
            int claims = 0;
            int last = 0;
            for (JsonNode edge : edges) {
                String type = edge.path("node").path("type").asText();
                if (type.equals("annals.TrainingRunClaimed")) {
                    claims++;
                    last = 0;
                } else if (type.equals("annals.TrainingEpochCompleted")) {
                    int epoch = new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree(edge.path("node").path("payload").asText()).path("epoch").asInt();
                    assertThat(epoch).as("epoch after " + last + " in attempt " + claims).isGreaterThan(last);
                    last = epoch;
                }
            }
            assertThat(claims).isGreaterThanOrEqualTo(2);
            assertThat(edges.toString()).contains("annals.TrainingRunLeaseExpired", "annals.TrainingRunCompleted");
        });

        // and the model it made serves
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(again.execute("""
                mutation { deployModel(input: {endpoint: "crash-endpoint", model: "crash-model", version: 1}) {
                  revision errors { message } } }""", Map.of()).path("deployModel").path("revision")
                .asInt()).isEqualTo(1));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            GraphQlClient.Rest r = again.postJson("/v1/endpoints/crash-endpoint/predict",
                    Map.of("rows", List.of(Map.of("x", 1.5), Map.of("x", -1.5))));
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            assertThat(r.body().path("scores").get(0).asDouble()).isGreaterThan(r.body().path("scores").get(1)
                    .asDouble());
        });
    }

    private static JsonNode run(GraphQlClient api, String runId) {
        return api.execute("""
                query($id: ID!) { trainingRun(id: $id) { status attempt epochs { epoch } } }""", Map.of("id", runId))
                .path("trainingRun");
    }
}
