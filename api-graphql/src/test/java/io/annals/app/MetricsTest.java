package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.app.demo.GraphQlClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /actuator/prometheus} exposes the metrics the README documents, with a token like every other route:
 * requests by API, endpoint, model, version and outcome with a latency histogram, model loads, training epochs and
 * runs, each event processor's lag, and drift PSI.
 */
class MetricsTest extends PlatformTestSupport {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");

    private HttpResponse<String> scrape(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the sample of {@code metric} whose labels include every one given, if there is one. */
    static OptionalDouble sample(String exposition, String metric, Map<String, String> labels) {
        for (String line : exposition.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches() || !m.group(1).equals(metric)) {
                continue;
            }
            String have = m.group(3) == null ? "" : m.group(3);
            if (labels.entrySet().stream().allMatch(l -> have.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                return OptionalDouble.of(Double.parseDouble(m.group(4)));
            }
        }
        return OptionalDouble.empty();
    }

    @Test
    void givenTrainingAndTraffic_whenScraped_thenEveryDocumentedMetricIsThere() throws Exception {
        assertThat(scrape(null).statusCode()).as("metrics need a token").isEqualTo(401);

        Map<String, Object> batch = ingest("metrics-data", csv(300, 3));
        awaitRun(requestRun("metrics-data", (String) batch.get("batchId"), "metrics-model"), "COMPLETED");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                graphQl(AUDITOR_TOKEN).document("{ model(name: \"metrics-model\") { latestVersion } }").execute()
                        .path("model.latestVersion").entity(Integer.class).isEqualTo(1));
        graphQl(TESTER_TOKEN).document("""
                        mutation { deployModel(input: {endpoint: "metrics-endpoint", model: "metrics-model",
                          version: 1}) { errors { message } } }""")
                .execute().path("deployModel.errors").entityList(Object.class).hasSize(0);
        graphQl(TESTER_TOKEN).document("""
                        mutation { configureDriftMonitor(input: {endpoint: "metrics-endpoint", psiThreshold: 10,
                          windowSize: 50}) { errors { message } } }""")
                .execute().path("configureDriftMonitor.errors").entityList(Object.class).hasSize(0);
        GraphQlClient client = new GraphQlClient(baseUrl(), TESTER_TOKEN);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.postJson(
                "/v1/endpoints/metrics-endpoint/predict", Map.of("rows", List.of(Map.of("x", 0.1)))).status() == 200);
        for (int i = 0; i < 24; i++) {
            assertThat(client.postJson("/v1/endpoints/metrics-endpoint/predict",
                    Map.of("rows", List.of(Map.of("x", i / 10.0), Map.of("x", -i / 10.0)))).status())
                    .isEqualTo(200);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(client.postJson("/v2/models/metrics-endpoint/infer", Map.of("inputs", List.of(Map.of(
                    "name", "x", "datatype", "FP32", "shape", List.of(2), "data", List.of(0.5, -0.5))))).status())
                    .isEqualTo(200);
        }
        assertThat(client.postJson("/v1/endpoints/metrics-endpoint/predict", Map.of("rows",
                List.of(Map.of("x", "not a number")))).status()).isEqualTo(400);
        assertThat(client.postJson("/v1/endpoints/made-up-" + System.nanoTime() + "/predict",
                Map.of("rows", List.of(Map.of("x", 1)))).status()).isEqualTo(404);

        Map<String, String> v1 = Map.of("endpoint", "metrics-endpoint", "model", "metrics-model", "version", "1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> scraped = scrape(TESTER_TOKEN);
            assertThat(scraped.statusCode()).isEqualTo(200);
            String text = scraped.body();
            described(text, "annals_predict_requests_seconds_count", with(v1, "api", "json", "outcome", "ok"))
                    .hasValue(25.0);
            described(text, "annals_predict_requests_seconds_count", with(v1, "api", "v2", "outcome", "ok"))
                    .hasValue(3.0);
            described(text, "annals_predict_requests_seconds_count", with(v1, "api", "json",
                    "outcome", "client_error")).hasValue(1.0);
            described(text, "annals_predict_requests_seconds_count", Map.of("endpoint", "(unknown)",
                    "outcome", "client_error")).isPresent();
            described(text, "annals_predict_requests_seconds_bucket", with(v1, "api", "json", "outcome", "ok",
                    "le", "+Inf")).hasValue(25.0);
            // Spring's request metrics name the serving servlet's routes by their patterns, as Spring MVC's (other
            // tests of the same platform predict too: at least this test's own requests)
            described(text, "http_server_requests_seconds_count", Map.of("uri", "/v1/endpoints/{name}/predict",
                    "method", "POST", "status", "200")).isPresent();
            OptionalDouble infer = sample(text, "http_server_requests_seconds_count", Map.of("uri",
                    "/v2/models/{name}/infer", "method", "POST", "status", "200"));
            assertThat(infer).as("POST /v2/models/{name}/infer 200").isPresent();
            assertThat(infer.getAsDouble()).isGreaterThanOrEqualTo(3.0);
            // GraphQL requests are counted and timed by their route; Spring for GraphQL's own observations and the
            // long-task timers of requests in flight are off (application.yml: 7% of a mutation's request thread)
            described(text, "http_server_requests_seconds_count", Map.of("uri", "/graphql", "method", "POST",
                    "status", "200")).isPresent();
            assertThat(text).doesNotContain("graphql_request_seconds", "graphql_datafetcher_seconds",
                    "http_server_requests_active_seconds");
            // 1 + 24 × 2 rows over JSON, 3 × 2 over V2: a drift window of 50 is full
            described(text, "annals_predict_rows_total", v1).hasValue(55.0);
            described(text, "annals_model_load_seconds_count", Map.of("model", "metrics-model",
                    "version", "1", "kind", "trained")).hasValue(1.0);
            described(text, "annals_training_epochs_total", Map.of("model", "metrics-model")).hasValue(2.0);
            described(text, "annals_training_runs_seconds_count", Map.of("model", "metrics-model",
                    "outcome", "completed")).hasValue(1.0);
            for (String processor : List.of("kafka-publisher", "audit-projection", "endpoint-projection")) {
                OptionalDouble lag = sample(text, "annals_events_processor_lag_events",
                        Map.of("processor", processor));
                assertThat(lag).as(processor).isPresent();
                assertThat(lag.getAsDouble()).as(processor).isGreaterThanOrEqualTo(0);
            }
        });
        // the drift monitor may take the window size (50) after the scores it applies to, when the event reaches it
        // late: each poll sends one more row until a window is full
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            client.postJson("/v1/endpoints/metrics-endpoint/predict", Map.of("rows", List.of(Map.of("x", 0.3))));
            described(scrape(TESTER_TOKEN).body(), "annals_drift_psi", v1).isPresent();
        });
    }

    /** The sample as an assertion that names the metric and labels it looked for, and the exposition. */
    private static org.assertj.core.api.OptionalDoubleAssert described(String text, String metric,
                                                                       Map<String, String> labels) {
        return assertThat(sample(text, metric, labels)).as(metric + labels + " in\n" + text.lines()
                .filter(l -> l.startsWith(metric.substring(0, metric.indexOf('_') + 1)))
                .filter(l -> !l.contains("_bucket")).toList());
    }

    private static Map<String, String> with(Map<String, String> base, String... more) {
        Map<String, String> all = new java.util.HashMap<>(base);
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return all;
    }
}
