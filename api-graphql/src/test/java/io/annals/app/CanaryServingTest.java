package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.app.demo.GraphQlClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A canary revision splits requests between two versions by their shares; deploying at 100% promotes it. */
class CanaryServingTest extends PlatformTestSupport {

    private int predictVersion(GraphQlClient client) {
        GraphQlClient.Rest r = client.postJson("/v1/endpoints/canary-endpoint/predict",
                Map.of("rows", List.of(Map.of("x", 0.5))));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body().path("version").asInt();
    }

    private void deploy(int version, int percent) {
        graphQl(TESTER_TOKEN).document("""
                        mutation($v: Int!, $p: Int!) { deployModel(input: {endpoint: "canary-endpoint",
                          model: "canary-model", version: $v, trafficPercent: $p}) { revision errors { message } } }""")
                .variable("v", version).variable("p", percent).execute()
                .path("deployModel.errors").entityList(Object.class).hasSize(0);
    }

    @Test
    void givenTwoVersions_whenTheSecondIsACanary_thenRequestsAreSharedAndPromotionMovesThemAll() {
        Map<String, Object> batch = ingest("canary-data", csv(400, 5));
        awaitRun(requestRun("canary-data", (String) batch.get("batchId"), "canary-model"), "COMPLETED");
        awaitRun(requestRun("canary-data", (String) batch.get("batchId"), "canary-model"), "COMPLETED");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                graphQl(AUDITOR_TOKEN).document("{ model(name: \"canary-model\") { latestVersion } }").execute()
                        .path("model.latestVersion").entity(Integer.class).isEqualTo(2));
        GraphQlClient client = new GraphQlClient(baseUrl(), TESTER_TOKEN);

        deploy(1, 100);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> predictVersion(client) == 1);
        deploy(2, 50);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> predictVersion(client) == 2);

        Map<Integer, Integer> answeredBy = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            answeredBy.merge(predictVersion(client), 1, Integer::sum);
        }
        // 50/50 over 200 requests: either share outside 60..140 is more than five standard deviations off
        assertThat(answeredBy.keySet()).containsExactlyInAnyOrder(1, 2);
        assertThat(answeredBy.get(2)).isBetween(60, 140);

        // a sticky split: a routing key always reaches the same version, and keys still spread by the shares
        Map<Integer, Integer> byKey = new HashMap<>();
        for (int k = 0; k < 200; k++) {
            String key = "customer-" + k;
            java.util.Set<Integer> versions = new java.util.HashSet<>();
            for (int i = 0; i < 5; i++) {
                GraphQlClient.Rest r = client.postJson("/v1/endpoints/canary-endpoint/predict",
                        Map.of("rows", List.of(Map.of("x", 0.5)), "routingKey", key));
                assertThat(r.status()).isEqualTo(200);
                versions.add(r.body().path("version").asInt());
            }
            assertThat(versions).as("versions answering " + key).hasSize(1);
            byKey.merge(versions.iterator().next(), 1, Integer::sum);
        }
        assertThat(byKey.get(2)).as("keys on the canary").isBetween(60, 140);

        deploy(2, 100);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int i = 0; i < 50; i++) {
                if (predictVersion(client) != 2) {
                    return false;
                }
            }
            return true;
        });
        graphQl(AUDITOR_TOKEN).document("""
                        { endpoint(name: "canary-endpoint") {
                          revisions { revision targets { version trafficPercent } } } }""")
                .execute().path("endpoint.revisions[1].targets[*].trafficPercent").entityList(Integer.class)
                .containsExactly(50, 50);
    }
}
