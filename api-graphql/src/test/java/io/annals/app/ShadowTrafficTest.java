package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.app.demo.GraphQlClient;
import io.annals.command.api.common.KafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A shadow deployment: the version serving now answers every request, the shadow receives its share mirrored, its
 * scores go to {@code annals.scores} marked shadow beside the answers they shadow, and the drift monitor's windows
 * of them show on the endpoint as a comparison.
 */
class ShadowTrafficTest extends PlatformTestSupport {

    private static final String ENDPOINT = "shadow-endpoint";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Map<String, Object> deploy(int version, int percent, String mode) {
        return graphQl(TESTER_TOKEN).document("""
                        mutation($v: Int!, $p: Int!, $mode: DeploymentMode!) { deployModel(input: {
                          endpoint: "shadow-endpoint", model: "shadow-model", version: $v, trafficPercent: $p,
                          mode: $mode}) { revision errors { code message } } }""")
                .variable("v", version).variable("p", percent).variable("mode", mode).execute()
                .path("deployModel").entity(Map.class).get();
    }

    @Test
    void givenAShadow_whenRequestsArrive_thenOnlyTheLiveVersionAnswersAndTheShadowIsLoggedAndCompared()
            throws Exception {
        Map<String, Object> batch = ingest("shadow-data", csv(400, 11));
        awaitRun(requestRun("shadow-data", (String) batch.get("batchId"), "shadow-model"), "COMPLETED");
        awaitRun(requestRun("shadow-data", (String) batch.get("batchId"), "shadow-model"), "COMPLETED");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                graphQl(AUDITOR_TOKEN).document("{ model(name: \"shadow-model\") { latestVersion } }").execute()
                        .path("model.latestVersion").entity(Integer.class).isEqualTo(2));

        assertThat(deploy(1, 100, "SHADOW").toString()).as("a shadow needs a version that answers")
                .contains("CONFLICT", "serves nothing yet");
        assertThat(deploy(1, 100, "LIVE")).containsEntry("revision", 1);
        graphQl(TESTER_TOKEN).document("""
                        mutation { configureDriftMonitor(input: {endpoint: "shadow-endpoint", psiThreshold: 10,
                          windowSize: 50}) { errors { message } } }""")
                .execute().path("configureDriftMonitor.errors").entityList(Object.class).hasSize(0);
        assertThat(deploy(1, 100, "SHADOW").toString()).as("the answering version cannot shadow itself")
                .contains("CONFLICT", "answers requests");
        assertThat(deploy(2, 100, "SHADOW")).containsEntry("revision", 2);
        // the read model follows the log: what a deployment made shows there shortly after it returns
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> graphQl(AUDITOR_TOKEN)
                .document("{ endpoint(name: \"shadow-endpoint\") { targets { version trafficPercent shadow } } }")
                .execute().path("endpoint.targets").entity(List.class).isEqualTo(List.of(
                        Map.of("version", 1, "trafficPercent", 100, "shadow", false),
                        Map.of("version", 2, "trafficPercent", 100, "shadow", true))));

        GraphQlClient client = new GraphQlClient(baseUrl(), TESTER_TOKEN);
        // revision 2 is live once the server has loaded the shadow too; until then revision 1 answers unmirrored
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.postJson(
                "/v1/endpoints/" + ENDPOINT + "/predict", Map.of("rows", List.of(Map.of("x", 0.1))))
                .body().path("revision").asInt() == 2);
        // 30 requests of two rows (and the one above): a comparison window of 50 rows fills once
        Map<String, List<Double>> answered = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            double x = (i - 15) / 5.0;
            GraphQlClient.Rest r = client.postJson("/v1/endpoints/" + ENDPOINT + "/predict",
                    Map.of("rows", List.of(Map.of("x", x), Map.of("x", -x))));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().path("version").asInt()).as("only the live version answers").isEqualTo(1);
            answered.put(r.body().path("requestId").asText(), List.of(r.body().path("scores").get(0).asDouble(),
                    r.body().path("scores").get(1).asDouble()));
        }
        GraphQlClient.Rest v2 = client.postJson("/v2/models/" + ENDPOINT + "/versions/2/infer", Map.of("inputs",
                List.of(Map.of("name", "x", "datatype", "FP32", "shape", List.of(1), "data", List.of(0.5)))));
        assertThat(v2.status()).as("a shadow answers nobody, even when named").isEqualTo(404);
        assertThat(v2.body().path("error").asText()).contains("does not serve version 2");

        // every answered request was mirrored (100%): its shadow score names the answer it shadows
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, List<JsonNode>> shadows = new HashMap<>();
            for (JsonNode score : scores(ENDPOINT)) {
                if (score.path("shadow").asBoolean()) {
                    shadows.computeIfAbsent(score.path("requestId").asText(), k -> new ArrayList<>()).add(score);
                }
            }
            assertThat(shadows.keySet()).containsAll(answered.keySet());
            for (var e : answered.entrySet()) {
                List<JsonNode> rows = shadows.get(e.getKey());
                assertThat(rows).hasSize(2);
                for (int row = 0; row < 2; row++) {
                    assertThat(rows.get(row).path("version").asInt()).isEqualTo(2);
                    assertThat(rows.get(row).path("shadowOf").path("version").asInt()).isEqualTo(1);
                    assertThat(rows.get(row).path("shadowOf").path("score").asDouble())
                            .isCloseTo(e.getValue().get(row), org.assertj.core.data.Offset.offset(1e-6));
                }
            }
        });

        // windows of 50 mirrored rows are compared and summed up on the endpoint
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> summary = graphQl(AUDITOR_TOKEN).document("""
                            { endpoint(name: "shadow-endpoint") { shadowComparisons { model version answeredByModel
                              answeredByVersion windows rows agreement meanAbsoluteDifference
                              latest { rows windowEnd } } } }""")
                    .execute().path("endpoint.shadowComparisons[0]").entity(Map.class).get();
            assertThat(summary).containsEntry("model", "shadow-model").containsEntry("version", 2)
                    .containsEntry("answeredByVersion", 1).containsEntry("windows", 1).containsEntry("rows", 50);
            assertThat(((Number) summary.get("agreement")).doubleValue()).isBetween(0.0, 1.0);
            assertThat(((Number) summary.get("meanAbsoluteDifference")).doubleValue()).isBetween(0.0, 1.0);
        });
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> graphQl(AUDITOR_TOKEN)
                .document("""
                        { auditEvents(filter: {entityKind: "endpoint", entityId: "shadow-endpoint",
                          eventType: "annals.ShadowComparisonRecorded"}) { totalCount edges { node { actor } } } }""")
                .execute().path("auditEvents.edges[0].node.actor").entity(String.class)
                .isEqualTo("service:drift-monitor"));

        // a live deployment replaces the shadow
        assertThat(deploy(2, 100, "LIVE")).containsEntry("revision", 3);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> graphQl(AUDITOR_TOKEN)
                .document("{ endpoint(name: \"shadow-endpoint\") { targets { version shadow } } }")
                .execute().path("endpoint.targets").entity(List.class)
                .isEqualTo(List.of(Map.of("version", 2, "shadow", false))));
    }

    /** Every score of an endpoint on {@code annals.scores}, read from the beginning. */
    private List<JsonNode> scores(String endpoint) throws Exception {
        List<JsonNode> scores = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records(KafkaTopics.SCORES)) {
            if (endpoint.equals(r.key())) {
                scores.add(JSON.readTree(r.value()));
            }
        }
        return scores;
    }
}
