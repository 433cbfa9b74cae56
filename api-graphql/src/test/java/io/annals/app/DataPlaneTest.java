package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.workers.serving.DataPlaneServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The data plane's own port on the running platform: the same prediction routes as the main port, with the same
 * answers, the same token check and access rules, and its own request metrics beside the routes' serving metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataPlaneTest extends PlatformTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENDPOINT = "data-plane-endpoint";
    private static final String ROWS = "{\"rows\": [{\"income\": 1.0, \"debt\": 0.0}, {\"income\": 0.0, \"debt\": 1.0}]}";
    private static final String TENSOR = """
            {"inputs": [{"name": "input", "shape": [2, 2], "datatype": "FP32", "data": [1.0, 0.0, 0.0, 1.0]}]}""";

    @Autowired
    DataPlaneServer dataPlane;
    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> call(String base, String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        request = body == null ? request.GET() : request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @BeforeAll
    void anImportedModelDeployed() throws Exception {
        HttpResponse<String> imported = OnnxFiles.upload(baseUrl(), TESTER_TOKEN, "data-plane-model",
                OnnxFiles.logistic(new float[] {1.5f, -2.0f}, 0.3f), """
                        {"task": "BINARY_CLASSIFICATION", "features": [{"name": "income", "type": "DOUBLE"},
                         {"name": "debt", "type": "DOUBLE"}], "output": "probability"}""");
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        graphQl(TESTER_TOKEN).document("""
                mutation { deployModel(input: {endpoint: "data-plane-endpoint", model: "data-plane-model", version: 1})
                  { errors { message } } }""").execute().path("deployModel.errors").entityList(Object.class).hasSize(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> call(dataPlane.url(), "GET",
                "/v2/models/" + ENDPOINT + "/ready", TESTER_TOKEN, null).statusCode() == 200);
    }

    @Test
    void itListensOnAPortOfItsOwn_onTheMainPortsAddress() {
        assertThat(dataPlane.isRunning()).isTrue();
        assertThat(dataPlane.port()).isPositive().isNotEqualTo(port);
        assertThat(dataPlane.url()).isEqualTo("http://127.0.0.1:" + dataPlane.port());
    }

    @Test
    void bothApis_answerAsOnTheMainPort() throws Exception {
        for (String[] request : new String[][] {{"/v1/endpoints/" + ENDPOINT + "/predict", ROWS},
                {"/v2/models/" + ENDPOINT + "/infer", TENSOR}}) {
            HttpResponse<String> main = call(baseUrl(), "POST", request[0], TESTER_TOKEN, request[1]);
            HttpResponse<String> plane = call(dataPlane.url(), "POST", request[0], TESTER_TOKEN, request[1]);
            assertThat(plane.statusCode()).as(plane.body()).isEqualTo(200);
            assertThat(plane.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode a = JSON.readTree(main.body());
            JsonNode b = JSON.readTree(plane.body());
            // the request id is each request's own
            ((com.fasterxml.jackson.databind.node.ObjectNode) a).remove(java.util.List.of("requestId", "id"));
            ((com.fasterxml.jackson.databind.node.ObjectNode) b).remove(java.util.List.of("requestId", "id"));
            assertThat(b).as(request[0]).isEqualTo(a);
        }
        JsonNode scores = JSON.readTree(call(dataPlane.url(), "POST", "/v1/endpoints/" + ENDPOINT + "/predict",
                TESTER_TOKEN, ROWS).body()).path("scores");
        assertThat(scores.path(0).asDouble()).isCloseTo(1 / (1 + Math.exp(-(1.5 + 0.3))),
                org.assertj.core.api.Assertions.within(1e-5));

        HttpResponse<String> metadata = call(dataPlane.url(), "GET", "/v2/models/" + ENDPOINT, TESTER_TOKEN, null);
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(metadata.body()).path("platform").asText()).isEqualTo("onnxruntime_onnx");
    }

    @Test
    void refusalsAreTheMainPorts_tokenFirst() throws Exception {
        String predict = "/v1/endpoints/" + ENDPOINT + "/predict";
        HttpResponse<String> noToken = call(dataPlane.url(), "POST", predict, null, ROWS);
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(JSON.readTree(noToken.body())).isEqualTo(JSON.readTree(call(baseUrl(), "POST", predict, null,
                ROWS).body()));

        HttpResponse<String> viewer = call(dataPlane.url(), "POST", predict, AUDITOR_TOKEN, ROWS);
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(viewer.body()).path("permission").asText()).isEqualTo("endpoint:predict");
        assertThat(JSON.readTree(viewer.body())).isEqualTo(JSON.readTree(call(baseUrl(), "POST", predict,
                AUDITOR_TOKEN, ROWS).body()));

        HttpResponse<String> unknown = call(dataPlane.url(), "POST", "/v2/models/no-such-endpoint/infer",
                TESTER_TOKEN, TENSOR);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("error").asText()).contains("no-such-endpoint");

        HttpResponse<String> upload = call(dataPlane.url(), "POST", "/v1/datasets/d/batches", TESTER_TOKEN, "x");
        assertThat(upload.statusCode()).as("only the serving routes are on the data plane").isEqualTo(404);
        assertThat(upload.body()).contains("POST /v1/datasets/d/batches is not a route");
    }

    @Test
    void requestsAreTimed_byRouteAndStatus() throws Exception {
        String predict = "/v1/endpoints/" + ENDPOINT + "/predict";
        assertThat(call(dataPlane.url(), "POST", predict, TESTER_TOKEN, ROWS).statusCode()).isEqualTo(200);
        Timer timer = meters.find("annals.data.plane.requests").tags("method", "POST", "uri",
                "/v1/endpoints/{name}/predict", "status", "200", "outcome", "SUCCESS").timer();
        assertThat(timer).isNotNull();
        long before = timer.count();
        for (int i = 0; i < 3; i++) {
            assertThat(call(dataPlane.url(), "POST", predict, TESTER_TOKEN, ROWS).statusCode()).isEqualTo(200);
        }
        assertThat(timer.count() - before).isEqualTo(3);
        HttpResponse<String> scraped = call(baseUrl(), "GET", "/actuator/prometheus", TESTER_TOKEN, null);
        assertThat(scraped.body()).contains("annals_data_plane_requests_seconds_bucket{method=\"POST\",outcome="
                + "\"SUCCESS\",status=\"200\",uri=\"/v1/endpoints/{name}/predict\"")
                .contains("annals_data_plane_connections ");
    }
}
