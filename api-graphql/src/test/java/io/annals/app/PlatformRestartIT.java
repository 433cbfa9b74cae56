package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.app.demo.GraphQlClient;
import io.annals.command.api.common.KafkaTopics;
import io.annals.infra.clients.KafkaClients;
import io.annals.infra.stack.EmbeddedStack;
import io.annals.command.domain.pipeline.PipelineClock;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Stop the platform and every server, start them again on the same data directory: the history is all there, the
 * publisher resumes where it stopped instead of sending the log to Kafka again, and a pipeline's schedule tick that
 * fell while nothing ran runs once when the platform is back. Runs in a JVM of its own
 * (see the failsafe configuration), since it stops the embedded stack.
 */
class PlatformRestartIT {

    private static final String TOKEN = "restart-token-0123456789abcdef";
    private static Instant tick;

    @Test
    void givenRecordedHistory_whenThePlatformAndItsServersRestart_thenAllIsThereAndNothingIsPublishedTwice()
            throws Exception {
        Path data = Files.createTempDirectory("annals-restart",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        String[] args = {"--annals.stack.data-dir=" + data, "--server.port=0",
                "--annals.security.tokens.tester=" + TOKEN, "--annals.security.roles.tester=admin"};

        long storedBefore;
        try (ConfigurableApplicationContext first = new SpringApplicationBuilder(AnnalsApplication.class).run(args)) {
            GraphQlClient api = client(first);
            api.execute("""
                    mutation { registerDataset(input: {name: "kept", columns: [{name: "x", type: DOUBLE}]}) {
                      errors { message } } }""", Map.of());
            api.execute("""
                    mutation { ingestBatch(input: {dataset: "kept", partition: "p1", csv: "x\\n1.5\\n2.5\\n"}) {
                      batch { batchId } errors { message } } }""", Map.of());
            // a pipeline whose schedule ticks once a day, two seconds from now: its clock is stopped at once, so the
            // tick falls while nothing runs it (as if the platform were down already)
            api.execute("""
                    mutation { registerDataset(input: {name: "kept-train", columns: [{name: "x", type: DOUBLE},
                      {name: "label", type: LONG}]}) { errors { message } } }""", Map.of());
            api.execute("""
                    mutation($csv: String!) { ingestBatch(input: {dataset: "kept-train", partition: "p", csv: $csv}) {
                      errors { message } } }""", Map.of("csv", PlatformTestSupport.csv(200, 7)));
            ZonedDateTime at = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC);
            tick = at.toInstant();
            first.getBean(PipelineClock.class).stop();
            JsonNode registered = api.execute("""
                    mutation($cron: String!) { registerPipeline(input: {name: "kept-nightly", model: "kept-model",
                      trainingSpec: {task: BINARY_CLASSIFICATION, features: ["x"], label: "label",
                        hyperparameters: {epochs: 1, hiddenUnits: [2]}},
                      inputs: [{dataset: "kept-train"}], trigger: {schedule: {cron: $cron}}}) {
                      pipeline { nextTick } errors { message } } }""", Map.of("cron",
                    at.getSecond() + " " + at.getMinute() + " " + at.getHour() + " * * *")).path("registerPipeline");
            assertThat(registered.path("pipeline").path("nextTick").asText()).isEqualTo(tick.toString());
            storedBefore = stored(first);
            await().atMost(Duration.ofSeconds(30)).until(() -> recordsOnKafka(first) == storedBefore);
        } finally {
            EmbeddedStack.stopShared();
        }
        assertThat(storedBefore).isEqualTo(5);
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(tick.plusSeconds(1)));

        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(AnnalsApplication.class)
                .run(args)) {
            GraphQlClient api = client(second);
            assertThat(stored(second)).isEqualTo(storedBefore);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                JsonNode dataset = api.execute("{ dataset(name: \"kept\") { batchCount batches { edges { node { rows "
                        + "} } } } }", Map.of()).path("dataset");
                assertThat(dataset.path("batchCount").asInt()).isEqualTo(1);
                assertThat(dataset.path("batches").path("edges").path(0).path("node").path("rows").asLong())
                        .isEqualTo(2);
            });
            api.execute("""
                    mutation { ingestBatch(input: {dataset: "kept", partition: "p2", csv: "x\\n3.5\\n"}) {
                      errors { message } } }""", Map.of());

            // the tick that fell while the platform was down runs once, now that it is back
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> "PROMOTED".equals(api.execute(
                    "{ pipelineRun(id: \"kept-nightly#1\") { status } }", Map.of()).path("pipelineRun")
                    .path("status").asText()));
            JsonNode pipeline = api.execute("""
                    { pipeline(name: "kept-nightly") { lastTick runs { id causes { kind tick } } } }""", Map.of())
                    .path("pipeline");
            assertThat(pipeline.path("runs")).hasSize(1);
            assertThat(pipeline.path("runs").path(0).path("causes").path(0).path("kind").asText()).isEqualTo("SCHEDULE");
            assertThat(pipeline.path("runs").path(0).path("causes").path(0).path("tick").asText())
                    .isEqualTo(tick.toString());
            assertThat(pipeline.path("lastTick").asText()).isEqualTo(tick.toString());
            assertThat(second.getBean(JdbcTemplate.class).queryForObject("select count(*) from domainevententry "
                    + "where aggregateidentifier = 'pipeline:kept-nightly' and payloadtype like '%ScheduleTicked%'",
                    Long.class)).isEqualTo(1);

            // every record on the topic, duplicates included, is one stored event: nothing was sent twice
            await().atMost(Duration.ofSeconds(30)).until(() -> recordsOnKafka(second) == stored(second));
            assertThat(stored(second)).isGreaterThan(storedBefore + 1);
        } finally {
            EmbeddedStack.stopShared();
            PlatformTestSupport.deleteTree(data);
        }
    }

    private static GraphQlClient client(ConfigurableApplicationContext app) {
        return new GraphQlClient("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"), TOKEN);
    }

    private static long stored(ConfigurableApplicationContext app) {
        return app.getBean(JdbcTemplate.class).queryForObject("select count(*) from domainevententry", Long.class);
    }

    private static long recordsOnKafka(ConfigurableApplicationContext app) {
        try (KafkaConsumer<String, byte[]> consumer = app.getBean(KafkaClients.class).consumer("test-reader", null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(KafkaTopics.EVENTS).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            var begin = consumer.beginningOffsets(partitions);
            return consumer.endOffsets(partitions).entrySet().stream()
                    .mapToLong(e -> e.getValue() - begin.get(e.getKey())).sum();
        }
    }
}
