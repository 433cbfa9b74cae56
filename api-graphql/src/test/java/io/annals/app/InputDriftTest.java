package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.app.demo.GraphQlClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Drift of inputs, end to end: a model that ignores one of its inputs (an imported logistic model whose weight on
 * {@code debt} is zero) is evaluated on a batch — which records the batch's input profile — and served; when
 * {@code debt} arrives a thousand times larger (a unit change upstream) its scores do not move, and yet an alert names
 * {@code debt}, with the test, the statistic, the severity and the histograms behind it.
 */
class InputDriftTest extends PlatformTestSupport {

    private static final String SIGNATURE = """
            {"task": "BINARY_CLASSIFICATION", "features": [{"name": "income", "type": "DOUBLE"},
             {"name": "debt", "type": "DOUBLE"}], "output": "probability", "label": "churned"}""";

    private void importModel(String model) throws Exception {
        HttpResponse<String> response = OnnxFiles.upload(baseUrl(), TESTER_TOKEN, model,
                OnnxFiles.logistic(new float[] {1.5f, 0f}, 0.3f), SIGNATURE);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private void evaluateOnAHoldout(String model, String dataset) {
        graphQl(TESTER_TOKEN).document("""
                mutation($n: String!) { registerDataset(input: {name: $n, columns: [{name: "income", type: DOUBLE},
                  {name: "debt", type: DOUBLE}, {name: "churned", type: LONG}]}) { errors { message } } }""")
                .variable("n", dataset).execute().path("registerDataset.errors").entityList(Object.class).hasSize(0);
        Random random = new Random(5);
        StringBuilder csv = new StringBuilder("income,debt,churned\n");
        for (int i = 0; i < 2_000; i++) {
            // three decimals keep 2,000 rows under the request body limit
            double income = Math.round(random.nextGaussian() * 1000) / 1000.0;
            double debt = Math.round(random.nextGaussian() * 1000) / 1000.0;
            csv.append(income).append(',').append(debt).append(',').append(1.5 * income + 0.3 > 0 ? 1 : 0)
                    .append('\n');
        }
        String batch = graphQl(TESTER_TOKEN).document("""
                        mutation($n: String!, $csv: String!) { ingestBatch(input: {dataset: $n, partition: "p",
                          csv: $csv}) { batch { batchId } } }""")
                .variable("n", dataset).variable("csv", csv.toString()).execute()
                .path("ingestBatch.batch.batchId").entity(String.class).get();
        graphQl(TESTER_TOKEN).document("""
                        mutation($m: String!, $n: String!, $b: ID!) { evaluateModelVersion(input: {model: $m,
                          version: 1, dataset: $n, batchId: $b}) { errors { message } } }""")
                .variable("m", model).variable("n", dataset).variable("b", batch).execute()
                .path("evaluateModelVersion.errors").entityList(Object.class).hasSize(0);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                graphQl(AUDITOR_TOKEN).document("""
                                query($m: String!) { model(name: $m) { versions { edges { node { evaluations {
                                  status } } } } } }""").variable("m", model).execute()
                        .path("model.versions.edges[0].node.evaluations[0].status").entity(String.class)
                        .isEqualTo("COMPLETED"));
    }

    @Test
    void aUnitChangeInAnInputTheModelIgnores_raisesAnAlertNamingThatInput_andNoneForTheScore() throws Exception {
        importModel("debt-blind");
        evaluateOnAHoldout("debt-blind", "debt-blind-holdout");
        graphQl(TESTER_TOKEN).document("""
                        mutation { deployModel(input: {endpoint: "debt-blind-endpoint", model: "debt-blind",
                          version: 1}) { errors { message } } }""").execute()
                .path("deployModel.errors").entityList(Object.class).hasSize(0);
        graphQl(TESTER_TOKEN).document("""
                        mutation { configureDriftMonitor(input: {endpoint: "debt-blind-endpoint", psiThreshold: 0.2,
                          windowSize: 400, windowSeconds: 600, features: [{feature: "income", enabled: false}]}) {
                          endpoint { driftMonitor { windowSize windowSeconds criticalPsiThreshold
                            features { feature enabled } } } errors { message } } }""").execute()
                .path("configureDriftMonitor.errors").entityList(Object.class).hasSize(0)
                .path("configureDriftMonitor.endpoint.driftMonitor.windowSeconds").entity(Integer.class).isEqualTo(600)
                .path("configureDriftMonitor.endpoint.driftMonitor.criticalPsiThreshold").entity(Double.class)
                .isEqualTo(0.4)
                .path("configureDriftMonitor.endpoint.driftMonitor.features[0].enabled").entity(Boolean.class)
                .isEqualTo(false);

        GraphQlClient client = new GraphQlClient(baseUrl(), TESTER_TOKEN);
        Random random = new Random(9);
        // rows go on until the alert is there: the first ones may reach the monitor before the evaluation does
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                rows.add(Map.of("income", random.nextGaussian(), "debt", random.nextGaussian() * 1000));
            }
            GraphQlClient.Rest answer = client.postJson("/v1/endpoints/debt-blind-endpoint/predict",
                    Map.of("rows", rows));
            assertThat(answer.status()).as(answer.body().toString()).isIn(200, 503);
            return graphQl(AUDITOR_TOKEN).document("""
                            { driftAlerts(endpoint: "debt-blind-endpoint") { totalCount } }""").execute()
                    .path("driftAlerts.totalCount").entity(Long.class).get() > 0;
        });

        var alerts = graphQl(AUDITOR_TOKEN).document("""
                        { driftAlerts(endpoint: "debt-blind-endpoint") { edges { node { id feature test severity
                          statistic pValue threshold psi windowSize windowStart windowEnd } } } }""").execute();
        alerts.path("driftAlerts.edges[*].node.feature").entityList(String.class).containsExactly("debt");
        alerts.path("driftAlerts.edges[0].node.test").entity(String.class).isEqualTo("KOLMOGOROV_SMIRNOV");
        alerts.path("driftAlerts.edges[0].node.severity").entity(String.class).isEqualTo("CRITICAL");
        alerts.path("driftAlerts.edges[0].node.threshold").entity(Double.class).isEqualTo(0.05);
        alerts.path("driftAlerts.edges[0].node.statistic").entity(Double.class)
                .satisfies(d -> assertThat(d).as("the largest gap between the two distribution functions")
                        .isGreaterThan(0.5));
        alerts.path("driftAlerts.edges[0].node.pValue").entity(Double.class)
                .satisfies(p -> assertThat(p).isLessThan(1e-12));
        alerts.path("driftAlerts.edges[0].node.windowSize").entity(Integer.class).isEqualTo(400);
        String id = alerts.path("driftAlerts.edges[0].node.id").entity(String.class).get();

        var histogram = graphQl(AUDITOR_TOKEN).document("""
                        query($id: ID!) { driftAlert(id: $id) { id histogram { bins edges reference live referenceRows
                          liveRows } } }""").variable("id", id).execute();
        histogram.path("driftAlert.id").entity(String.class).isEqualTo(id);
        histogram.path("driftAlert.histogram.referenceRows").entity(Long.class).isEqualTo(2_000L);
        histogram.path("driftAlert.histogram.liveRows").entity(Long.class).isEqualTo(400L);
        histogram.path("driftAlert.histogram.bins").entityList(String.class).hasSize(10);
        histogram.path("driftAlert.histogram.reference").entityList(Double.class).satisfies(shares ->
                assertThat(shares).allSatisfy(s -> assertThat(s).isBetween(0.09, 0.11)));
        histogram.path("driftAlert.histogram.live").entityList(Double.class).satisfies(shares -> {
            assertThat(shares.get(0) + shares.get(9)).as("a thousand times wider: nearly all in the outer bins")
                    .isGreaterThan(0.95);
        });
    }

    @Test
    void aRuleWhoseThresholdDoesNotFitItsTest_isRefusedWithItsReason() {
        graphQl(TESTER_TOKEN).document("""
                        mutation { configureDriftMonitor(input: {endpoint: "no-such-endpoint-for-rules",
                          psiThreshold: 0.2, windowSize: 500, features: [{feature: "debt", test: KOLMOGOROV_SMIRNOV,
                          threshold: 3}]}) { errors { code message } } }""").execute()
                .path("configureDriftMonitor.errors[0].code").entity(String.class).isEqualTo("INVALID_INPUT")
                .path("configureDriftMonitor.errors[0].message").entity(String.class)
                .satisfies(m -> assertThat(m).contains("KOLMOGOROV_SMIRNOV").contains("p-value"));
        graphQl(TESTER_TOKEN).document("""
                        mutation { configureDriftMonitor(input: {endpoint: "no-such-endpoint-for-rules",
                          psiThreshold: 0.2, windowSize: 500, features: [{feature: "debt", threshold: 0.3}]}) {
                          errors { code message } } }""").execute()
                .path("configureDriftMonitor.errors[0].code").entity(String.class).isEqualTo("INVALID_INPUT")
                .path("configureDriftMonitor.errors[0].message").entity(String.class)
                .satisfies(m -> assertThat(m).contains("needs its test"));
    }
}
