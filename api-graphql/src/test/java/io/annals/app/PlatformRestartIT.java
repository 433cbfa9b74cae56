package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.app.demo.GraphQlClient;
import io.annals.command.api.common.KafkaTopics;
import io.annals.infra.clients.KafkaClients;
import io.annals.infra.stack.EmbeddedStack;
import java.nio.file.Files;
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
 * Stop the platform and every server, start them again on the same data directory: the history is all there, and
 * the publisher resumes where it stopped instead of sending the log to Kafka again. Runs in a JVM of its own
 * (see the failsafe configuration), since it stops the embedded stack.
 */
class PlatformRestartIT {

    private static final String TOKEN = "restart-token-0123456789abcdef";

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
            storedBefore = stored(first);
            await().atMost(Duration.ofSeconds(30)).until(() -> recordsOnKafka(first) == storedBefore);
        } finally {
            EmbeddedStack.stopShared();
        }
        assertThat(storedBefore).isEqualTo(2);

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
            // every record on the topic, duplicates included, is one stored event: nothing was sent twice
            await().atMost(Duration.ofSeconds(30)).until(() -> recordsOnKafka(second) == storedBefore + 1);
            assertThat(stored(second)).isEqualTo(storedBefore + 1);
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
