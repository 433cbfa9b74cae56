package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.app.demo.GraphQlClient;
import io.annals.command.api.common.KafkaTopics;
import io.annals.query.audit.AuditProjection;
import io.annals.query.elastic.Documents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Backends that hang (SIGSTOP: ports open, nothing answers) while the platform is used: nothing recorded is lost,
 * nothing is published twice, queries fail fast with a typed error, commands and predictions keep working. Runs in
 * a JVM and embedded stack of its own (failsafe), since it freezes the stack's servers.
 */
class FaultToleranceIT extends PlatformTestSupport {

    @Autowired
    Documents documents;
    @Autowired
    Producer<String, byte[]> eventProducer;

    /** How many times the event publisher's producer has sent a record again after a failed attempt. */
    private double publisherRetries() {
        return eventProducer.metrics().entrySet().stream()
                .filter(m -> m.getKey().name().equals("record-retry-total")
                        && m.getKey().group().equals("producer-metrics"))
                .mapToDouble(m -> ((Number) m.getValue().metricValue()).doubleValue()).sum();
    }

    private Path pidFile(String server) {
        return Path.of(env.getProperty("annals.stack.data-dir"), server, server + ".pid");
    }

    private void registerDatasets(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            graphQl(TESTER_TOKEN).document("""
                            mutation($n: String!) { registerDataset(input: {name: $n, columns: [
                              {name: "x", type: DOUBLE}]}) { errors { message } } }""")
                    .variable("n", prefix + "-" + i).execute()
                    .path("registerDataset.errors").entityList(Object.class).hasSize(0);
        }
    }

    /** The whole GraphQL response, errors included. */
    private JsonNode postQuery(String query) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/graphql"))
                .header("Authorization", "Bearer " + AUDITOR_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new ObjectMapper().writeValueAsString(Map.of("query",
                        query))))
                .timeout(Duration.ofSeconds(60)).build();
        return new ObjectMapper().readTree(HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private int healthStatus(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + TESTER_TOKEN).timeout(Duration.ofSeconds(30)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void givenElasticsearchHangs_whenCommandsAreSent_thenQueriesFailFastAndTheAuditLogCatchesUpCompletely()
            throws Exception {
        registerDatasets("before-es-fault", 3);
        await().atMost(Duration.ofSeconds(60)).until(() -> documents.count(AuditProjection.AUDIT.alias()) == allStoredEvents());
        assertThat(healthStatus("/actuator/health/readiness")).isEqualTo(200);

        long faultyStart;
        try (FrozenServer frozen = FrozenServer.freeze("Elasticsearch", pidFile("elasticsearch"))) {
            // a query whose read model hangs answers UNAVAILABLE, naming it, within the client timeout
            long begin = System.nanoTime();
            JsonNode answer = postQuery("{ auditEvents(first: 5) { totalCount } }");
            long millis = (System.nanoTime() - begin) / 1_000_000;
            System.out.println("auditEvents with Elasticsearch frozen answered in " + millis + " ms: " + answer);
            assertThat(answer.path("errors").path(0).path("extensions").path("classification").asText())
                    .isEqualTo("UNAVAILABLE");
            assertThat(answer.path("errors").path(0).path("message").asText()).contains(AuditProjection.AUDIT.alias());
            assertThat(millis).as("answered within the 5 s request timeout and some slack").isLessThan(20_000);

            // commands do not need the read side
            faultyStart = storedEvents();
            registerDatasets("during-es-fault", 5);
            assertThat(storedEvents()).isEqualTo(faultyStart + 5);

            // the audit projection stops at the event it cannot write and says so
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(graphQl(AUDITOR_TOKEN)
                    .document("{ projections { name error } }").execute().path("projections").entityList(Map.class)
                    .get()).anySatisfy(p -> {
                        assertThat(p.get("name")).isEqualTo("audit-projection");
                        assertThat(p.get("error")).isNotNull();
                    }));
            assertThat(healthStatus("/actuator/health/readiness")).isEqualTo(503);
            assertThat(healthStatus("/actuator/health/liveness")).isEqualTo(200);
        }

        // once Elasticsearch answers again, every event is in the audit index, once
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> documents.count(AuditProjection.AUDIT.alias()) == allStoredEvents());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(graphQl(AUDITOR_TOKEN)
                .document("{ projections { name error } }").execute().path("projections[*].error")
                .entityList(Object.class).get()).allMatch(java.util.Objects::isNull));
        assertThat(healthStatus("/actuator/health/readiness")).isEqualTo(200);
        System.out.println("Elasticsearch fault: " + storedEvents() + " events checked, "
                + (storedEvents() - faultyStart) + " recorded during the fault, events lost: 0");
    }

    @Test
    void givenKafkaHangs_whenCommandsAndPredictionsAreSent_thenBothWorkAndTheTopicGetsEveryEventExactlyOnce()
            throws Exception {
        String batchId = (String) ingest("kafka-fault-data", csv(300, 41)).get("batchId");
        awaitRun(requestRun("kafka-fault-data", batchId, "kafka-fault-model"), "COMPLETED");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> graphQl(TESTER_TOKEN)
                .document("""
                        mutation { deployModel(input: {endpoint: "kafka-fault-endpoint", model: "kafka-fault-model",
                          version: 1}) { errors { message } } }""")
                .execute().path("deployModel.errors").entityList(Object.class).hasSize(0));
        GraphQlClient client = new GraphQlClient(baseUrl(), TESTER_TOKEN);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.postJson(
                "/v1/endpoints/kafka-fault-endpoint/predict", Map.of("rows", List.of(Map.of("x", 0.5))))
                .status() == 200);

        long faultyStart;
        double retriesBefore = publisherRetries();
        try (FrozenServer frozen = FrozenServer.freeze("Kafka", pidFile("kafka"))) {
            faultyStart = storedEvents();
            registerDatasets("during-kafka-fault", 5);
            assertThat(storedEvents()).isEqualTo(faultyStart + 5);
            for (int i = 0; i < 20; i++) {
                GraphQlClient.Rest r = client.postJson("/v1/endpoints/kafka-fault-endpoint/predict",
                        Map.of("rows", List.of(Map.of("x", i / 10.0))));
                assertThat(r.status()).as("predict while Kafka hangs: " + r.body()).isEqualTo(200);
            }
            // keep Kafka away until the publisher's request has timed out and been sent again
            await().atMost(Duration.ofSeconds(90)).until(() -> publisherRetries() > retriesBefore);
        }

        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .untilAsserted(() -> {
                    List<KafkaEvent> records = kafkaEvents();
                    Set<String> ids = records.stream().map(r -> r.headers().get(KafkaTopics.HEADER_EVENT_ID))
                            .collect(Collectors.toSet());
                    Set<String> stored = Set.copyOf(jdbc.queryForList("select eventidentifier from domainevententry",
                            String.class));
                    assertThat(ids).isEqualTo(stored);
                    assertThat(records).as("records on annals.events, each event once").hasSize(stored.size());
                });
        System.out.println("Kafka fault: " + storedEvents() + " events checked, " + (storedEvents() - faultyStart)
                + " recorded during the fault, events lost: 0, published twice: 0");
    }
}
