package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.command.api.common.Actor;
import io.annals.command.api.trainingrun.ClaimTrainingRun;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.workers.events.EventStream;
import io.annals.workers.events.WorkerLoop;
import io.annals.workers.port.CommandPort;
import io.annals.workers.storage.ArtifactStore;
import io.annals.workers.training.TrainingWorker;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The training worker against the real stack: digests are checked, and a run is trained by one worker only. */
class TrainingWorkersTest extends PlatformTestSupport {

    @Autowired
    CommandPort commands;

    @Autowired
    ArtifactStore store;

    @Autowired
    S3Client s3;

    @Value("${annals.s3.bucket}")
    String bucket;

    @Test
    void givenBatchChangedInStorage_whenTrained_thenRunFailsNamingTheDigestMismatch() {
        Map<String, Object> batch = ingest("tampered", csv(300, 1));
        String location = (String) batch.get("location");
        String key = location.substring(("s3://" + bucket + "/").length());
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(csv(300, 2)));

        String runId = requestRun("tampered", (String) batch.get("batchId"), "tampered-model");
        Map<String, Object> run = awaitRun(runId, "FAILED");

        assertThat((String) run.get("failureReason"))
                .startsWith("SHA-256 of " + location + " is ")
                .contains("expected " + batch.get("sha256"));
        graphQl(AUDITOR_TOKEN).document("{ model(name: \"tampered-model\") { name } }").execute()
                .path("model").valueIsNull();
    }

    @Autowired
    @org.springframework.beans.factory.annotation.Qualifier("trainingLoop")
    WorkerLoop trainingLoop;

    @Test
    void givenWorkerDiedHoldingTheRun_whenItsLeaseRunsOut_thenAnotherWorkerTakesItOverAndCompletesIt() {
        Map<String, Object> batch = ingest("orphaned", csv(300, 4));
        String runId;
        trainingLoop.close();
        try {
            runId = requestRun("orphaned", (String) batch.get("batchId"), "orphaned-model");
            // a worker claims the run for two seconds and is never heard of again
            commands.send(new ClaimTrainingRun(TrainingRunId.of(runId), "crashed-worker", Instant.now(),
                    Duration.ofSeconds(2)), Actor.service("training-worker/crashed-worker"), null);
        } finally {
            trainingLoop.start();
        }

        Map<String, Object> run = awaitRun(runId, "COMPLETED");

        assertThat((String) run.get("workerId")).isNotEqualTo("crashed-worker");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Object> types = graphQl(AUDITOR_TOKEN).document("""
                            query($id: String) { auditEvents(filter: {entityId: $id}, first: 100) {
                              edges { node { type } } } }""")
                    .variable("id", runId).execute().path("auditEvents.edges[*].node.type").entityList(Object.class)
                    .get();
            assertThat(types).containsSubsequence("annals.TrainingRunClaimed", "annals.TrainingRunLeaseExpired",
                    "annals.TrainingRunClaimed", "annals.TrainingRunCompleted");
        });
    }

    @Test
    void givenTwoWorkers_whenARunIsRequested_thenExactlyOneClaimsAndTrainsIt() throws Exception {
        var rival = new TrainingWorker("rival", new EventStream(kafka, "rival-training-worker"), commands, store,
                Files.createTempDirectory("rival"), Duration.ofSeconds(30), Clock.systemUTC(),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        try (rival; WorkerLoop loop = new WorkerLoop("rival-training-worker", rival::step, rival::wakeup)) {
            loop.start();
            Map<String, Object> batch = ingest("contested", csv(400, 3));
            String runId = requestRun("contested", (String) batch.get("batchId"), "contested-model");
            Map<String, Object> run = awaitRun(runId, "COMPLETED");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<Object> types = graphQl(AUDITOR_TOKEN).document("""
                                query($id: String) { auditEvents(filter: {entityId: $id}, first: 100) {
                                  edges { node { type } } } }""")
                        .variable("id", runId).execute().path("auditEvents.edges[*].node.type")
                        .entityList(Object.class).get();
                assertThat(types).containsOnlyOnce("annals.TrainingRunClaimed", "annals.TrainingRunCompleted");
            });
            assertThat((String) run.get("workerId")).isNotBlank();

            // the completed run records the reference profile of its training inputs, for the drift monitor
            String completed = jdbc.queryForObject("select convert_from(payload, 'UTF8') from domainevententry "
                    + "where aggregateidentifier = ? and payloadtype like '%TrainingRunCompleted'", String.class,
                    "run:" + runId);
            com.fasterxml.jackson.databind.JsonNode profile = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(completed).path("profile");
            assertThat(profile.path("rows").asLong()).as("the training split of 400 rows").isBetween(200L, 399L);
            com.fasterxml.jackson.databind.JsonNode x = profile.path("features").path(0);
            assertThat(x.path("feature").asText()).isEqualTo("x");
            assertThat(x.path("kind").asText()).isEqualTo("NUMERIC");
            assertThat(x.path("count").asLong()).isEqualTo(profile.path("rows").asLong());
            assertThat(x.path("quantiles")).hasSize(101);
            assertThat(x.path("fractions")).hasSize(x.path("binEdges").size() + 1);
            assertThat(x.path("mean").asDouble()).as("a standard normal").isBetween(-0.3, 0.3);
        }
    }
}
