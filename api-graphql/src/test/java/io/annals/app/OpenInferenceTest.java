package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.app.demo.GraphQlClient;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Open Inference Protocol (KServe V2) over REST, as its clients send it: server and model metadata, readiness,
 * inference by one tensor per feature (a categorical one as BYTES) or by one [n, features] tensor, a version's own
 * route, and errors as {@code {"error": …}} with 400, 404 or 503. Its answers equal the JSON API's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenInferenceTest extends PlatformTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Answer(int status, JsonNode body) {
    }

    private Answer call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + TESTER_TOKEN).timeout(Duration.ofSeconds(30));
        request = body == null ? request.GET() : request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? null : JSON.readTree(response.body()));
    }

    @BeforeAll
    void aModelWithACategoricalFeature() {
        graphQl(TESTER_TOKEN).document("""
                mutation { registerDataset(input: {name: "v2-data", columns: [{name: "x", type: DOUBLE},
                  {name: "city", type: STRING}, {name: "label", type: LONG}]}) { errors { message } } }""").execute()
                .path("registerDataset.errors").entityList(Object.class).hasSize(0);
        Random r = new Random(9);
        StringBuilder csv = new StringBuilder("x,city,label\n");
        for (int i = 0; i < 1200; i++) {
            double x = Math.round(r.nextGaussian() * 1000) / 1000.0;
            String city = r.nextBoolean() ? "paris" : "oslo";
            csv.append(x).append(',').append(city).append(',').append(x + (city.equals("paris") ? 1 : -1) > 0 ? 1 : 0)
                    .append('\n');
        }
        String batch = graphQl(TESTER_TOKEN).document("""
                        mutation($csv: String!) { ingestBatch(input: {dataset: "v2-data", partition: "p", csv: $csv}) {
                          batch { batchId } } }""")
                .variable("csv", csv.toString()).execute().path("ingestBatch.batch.batchId").entity(String.class)
                .get();
        String runId = graphQl(TESTER_TOKEN).document("""
                        mutation($b: ID!) { requestTrainingRun(input: {model: "v2-model", task: BINARY_CLASSIFICATION,
                          batches: [{dataset: "v2-data", batchId: $b}], features: ["x", "city"], label: "label",
                          hyperparameters: {epochs: 4, hiddenUnits: [8]}}) { runId } }""")
                .variable("b", batch).execute().path("requestTrainingRun.runId").entity(String.class).get();
        awaitRun(runId, "COMPLETED");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                graphQl(AUDITOR_TOKEN).document("{ model(name: \"v2-model\") { latestVersion } }").execute()
                        .path("model.latestVersion").entity(Integer.class).isEqualTo(1));
        graphQl(TESTER_TOKEN).document("""
                mutation { deployModel(input: {endpoint: "v2-endpoint", model: "v2-model", version: 1}) {
                  errors { message } } }""").execute().path("deployModel.errors").entityList(Object.class).hasSize(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> call("GET", "/v2/models/v2-endpoint/ready", null)
                .status() == 200);
    }

    @Test
    void oneFp32TensorOfAllFeatures_onAnImportedModel() throws Exception {
        HttpResponse<String> imported = OnnxFiles.upload(baseUrl(), TESTER_TOKEN, "v2-onnx",
                OnnxFiles.logistic(new float[] {1.5f, -2.0f}, 0.3f), """
                        {"task": "BINARY_CLASSIFICATION", "features": [{"name": "income", "type": "DOUBLE"},
                         {"name": "debt", "type": "DOUBLE"}], "output": "probability"}""");
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        graphQl(TESTER_TOKEN).document("""
                mutation { deployModel(input: {endpoint: "v2-onnx", model: "v2-onnx", version: 1}) {
                  errors { message } } }""").execute().path("deployModel.errors").entityList(Object.class).hasSize(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> call("GET", "/v2/models/v2-onnx/ready", null)
                .status() == 200);
        assertThat(call("GET", "/v2/models/v2-onnx", null).body().path("platform").asText())
                .isEqualTo("onnxruntime_onnx");

        Answer answer = call("POST", "/v2/models/v2-onnx/infer", """
                {"inputs": [{"name": "input", "shape": [2, 2], "datatype": "FP32", "data": [[1.0, 0.0], [0.0, 1.0]]}]}""");
        assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
        JsonNode data = answer.body().path("outputs").path(0).path("data");
        assertThat(data.path(0).asDouble()).isCloseTo(1 / (1 + Math.exp(-(1.5 + 0.3))), within(1e-5));
        assertThat(data.path(1).asDouble()).isCloseTo(1 / (1 + Math.exp(-(-2.0 + 0.3))), within(1e-5));

        Answer wrongWidth = call("POST", "/v2/models/v2-onnx/infer", """
                {"inputs": [{"name": "input", "shape": [1, 3], "datatype": "FP32", "data": [1.0, 0.0, 2.0]}]}""");
        assertThat(wrongWidth.status()).isEqualTo(400);
        assertThat(wrongWidth.body().path("error").asText()).isEqualTo("input 'input' has shape [1, 3]; one tensor "
                + "for all features must be [n, 2] in the order [income, debt] (or send one tensor per feature)");
    }

    @Test
    void serverAndModelMetadata_andReadiness() throws Exception {
        Answer server = call("GET", "/v2", null);
        assertThat(server.status()).isEqualTo(200);
        assertThat(server.body().path("name").asText()).isEqualTo("annals");
        assertThat(server.body().has("version")).isTrue();
        assertThat(call("GET", "/v2/health/live", null).status()).isEqualTo(200);
        assertThat(call("GET", "/v2/health/ready", null).status()).isEqualTo(200);

        Answer model = call("GET", "/v2/models/v2-endpoint", null);
        assertThat(model.status()).isEqualTo(200);
        assertThat(model.body().path("name").asText()).isEqualTo("v2-endpoint");
        assertThat(model.body().path("versions").toString()).isEqualTo("[\"1\"]");
        assertThat(model.body().path("inputs").toString()).isEqualTo(
                "[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1]},"
                        + "{\"name\":\"city\",\"datatype\":\"BYTES\",\"shape\":[-1]}]");
        assertThat(model.body().path("outputs").path(0).path("name").asText()).isEqualTo("scores");
        assertThat(call("GET", "/v2/models/v2-endpoint/versions/1/ready", null).status()).isEqualTo(200);

        Answer unknown = call("GET", "/v2/models/no-such-endpoint/ready", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("error").asText()).contains("does not exist");
        Answer otherVersion = call("GET", "/v2/models/v2-endpoint/versions/7", null);
        assertThat(otherVersion.status()).isEqualTo(404);
        assertThat(otherVersion.body().path("error").asText())
                .isEqualTo("endpoint 'v2-endpoint' does not serve version 7 now; it serves [1]");
    }

    @Test
    void inferenceByFeatureTensors_equalsTheJsonApi() throws Exception {
        Answer answer = call("POST", "/v2/models/v2-endpoint/infer", """
                {"id": "req-42", "inputs": [
                  {"name": "x", "shape": [3], "datatype": "FP64", "data": [0.5, -0.5, 2.0]},
                  {"name": "city", "shape": [3, 1], "datatype": "BYTES", "data": [["paris"], ["oslo"], ["rome"]]}]}""");
        assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
        assertThat(answer.body().path("model_name").asText()).isEqualTo("v2-endpoint");
        assertThat(answer.body().path("model_version").asText()).isEqualTo("1");
        assertThat(answer.body().path("id").asText()).isEqualTo("req-42");
        JsonNode scores = answer.body().path("outputs").path(0);
        assertThat(scores.path("name").asText()).isEqualTo("scores");
        assertThat(scores.path("datatype").asText()).isEqualTo("FP32");
        assertThat(scores.path("shape").toString()).isEqualTo("[3]");

        GraphQlClient.Rest json = new GraphQlClient(baseUrl(), TESTER_TOKEN).postJson(
                "/v1/endpoints/v2-endpoint/predict", Map.of("rows", List.of(Map.of("x", 0.5, "city", "paris"),
                        Map.of("x", -0.5, "city", "oslo"), Map.of("x", 2.0, "city", "rome"))));
        for (int i = 0; i < 3; i++) {
            assertThat(scores.path("data").path(i).asDouble()).as("row " + i)
                    .isCloseTo(json.body().path("scores").path(i).asDouble(), within(1e-6));
        }
        assertThat(scores.path("data").path(0).asDouble()).isGreaterThan(0.5);
        assertThat(scores.path("data").path(1).asDouble()).isLessThan(0.5);
    }

    @Test
    void inferenceByOneTensorInFeatureOrder_onAVersionsOwnRoute() throws Exception {
        Answer matrix = call("POST", "/v2/models/v2-endpoint/versions/1/infer", """
                {"inputs": [{"name": "input", "shape": [2, 2], "datatype": "BYTES",
                  "data": [[1.0, "paris"], [-1.0, "oslo"]]}], "outputs": [{"name": "scores"}]}""");
        assertThat(matrix.status()).as("a numeric feature in a BYTES tensor").isEqualTo(400);
        assertThat(matrix.body().path("error").asText()).isEqualTo("feature 'x' is numeric: its tensor must be "
                + "FP32, FP64, INT32, INT64 or BOOL, not BYTES");

        Answer byFeature = call("POST", "/v2/models/v2-endpoint/versions/1/infer", """
                {"inputs": [{"name": "x", "shape": [2], "datatype": "INT64", "data": [1, -1]},
                  {"name": "city", "shape": [2], "datatype": "BYTES", "data": ["paris", "oslo"]}],
                 "outputs": [{"name": "scores"}]}""");
        assertThat(byFeature.status()).as(String.valueOf(byFeature.body())).isEqualTo(200);
        assertThat(byFeature.body().path("outputs").size()).isEqualTo(1);
    }

    @Test
    void badRequestsAreRefusedWithTheirReason() throws Exception {
        Map<String, String> refused = Map.of(
                "{\"inputs\": []}", "the request needs \"inputs\": a list of tensors {name, shape, datatype, data}",
                """
                {"inputs": [{"name": "x", "shape": [2], "datatype": "FP32", "data": [1.0]},
                  {"name": "city", "shape": [2], "datatype": "BYTES", "data": ["a", "b"]}]}""",
                "input 'x': shape [2] holds 2 elements, but data has 1",
                """
                {"inputs": [{"name": "x", "shape": [1], "datatype": "FP32", "data": [1.0]},
                  {"name": "city", "shape": [1], "datatype": "FP32", "data": [3.0]}]}""",
                "feature 'city' is categorical: its tensor must be BYTES of strings, got FP32",
                """
                {"inputs": [{"name": "x", "shape": [1], "datatype": "FP32", "data": [1.0]},
                  {"name": "city", "shape": [1], "datatype": "BYTES", "data": ["a"]},
                  {"name": "age", "shape": [1], "datatype": "FP32", "data": [3.0]}]}""",
                "input 'age' is not a feature of this model; its features are [x, city]",
                """
                {"inputs": [{"name": "x", "shape": [1], "datatype": "COMPLEX", "data": [1.0]}]}""",
                "input 'x': datatype COMPLEX is not one of FP32, FP64, INT32, INT64, BOOL, BYTES");
        for (Map.Entry<String, String> e : refused.entrySet()) {
            Answer answer = call("POST", "/v2/models/v2-endpoint/infer", e.getKey());
            assertThat(answer.status()).as(e.getKey()).isEqualTo(400);
            assertThat(answer.body().path("error").asText()).as(e.getKey()).isEqualTo(e.getValue());
        }
        Answer unknown = call("POST", "/v2/models/nowhere/infer", "{\"inputs\": []}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().has("error")).isTrue();
    }

    @Test
    void aBodyThatIsNotJsonOfRows_isRefusedWithItsReason_onTheJsonApi() throws Exception {
        Map<String, String> refused = Map.of(
                "{\"rows\": [", "the request is not JSON: ",
                "[]", "the request must be a JSON object with \"rows\", got array",
                "{\"rows\": [1]}", "row 1 must be an object of feature values, got 1",
                "{\"rows\": []}", "the request needs \"rows\": a list of objects of feature values",
                "{\"rows\": [{\"x\": \"high\", \"city\": \"paris\"}]}",
                "row 1: feature 'x' must be a number, got high");
        for (Map.Entry<String, String> e : refused.entrySet()) {
            Answer answer = call("POST", "/v1/endpoints/v2-endpoint/predict", e.getKey());
            assertThat(answer.status()).as(e.getKey()).isEqualTo(400);
            assertThat(answer.body().path("error").asText()).isEqualTo("BAD_REQUEST");
            assertThat(answer.body().path("message").asText()).as(e.getKey()).startsWith(e.getValue());
        }
    }

    @Test
    void aBodyOverTheLimit_isRefusedWith413_onBothApis() throws Exception {
        // sent without a declared length (chunked), so the server reads up to one byte past its limit and stops
        int limit = 32 * 1024 * 1024;
        for (String path : List.of("/v1/endpoints/v2-endpoint/predict", "/v2/models/v2-endpoint/infer")) {
            HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                            .header("Authorization", "Bearer " + TESTER_TOKEN).header("Content-Type",
                                    "application/json").timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.InputStream() {
                                private long left = limit + 1L;

                                @Override
                                public int read() {
                                    return left-- > 0 ? ' ' : -1;
                                }

                                @Override
                                public int read(byte[] b, int off, int len) {
                                    if (left <= 0) {
                                        return -1;
                                    }
                                    int n = (int) Math.min(len, left);
                                    java.util.Arrays.fill(b, off, off + n, (byte) ' ');
                                    left -= n;
                                    return n;
                                }
                            })).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(413);
            JsonNode body = JSON.readTree(response.body());
            String message = path.startsWith("/v2") ? body.path("error").asText() : body.path("message").asText();
            assertThat(message).as(path).isEqualTo("the request body has more than " + limit + " bytes; the limit "
                    + "is " + limit + " bytes (annals.workers.serving.max-body-bytes)");
        }
    }

    @Test
    void theBinaryTensorExtension_asTritonsClientsSendIt() throws Exception {
        ByteBuffer x = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(-0.5f);
        ByteArrayOutputStream cities = new ByteArrayOutputStream();
        for (String city : List.of("paris", "oslo")) {
            cities.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(city.length()).array());
            cities.write(city.getBytes(StandardCharsets.UTF_8));
        }
        byte[] header = ("{\"inputs\": [{\"name\": \"x\", \"shape\": [2], \"datatype\": \"FP32\", "
                + "\"parameters\": {\"binary_data_size\": 8}}, {\"name\": \"city\", \"shape\": [2], "
                + "\"datatype\": \"BYTES\", \"parameters\": {\"binary_data_size\": " + cities.size() + "}}], "
                + "\"parameters\": {\"binary_data_output\": true}}").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(header);
        body.write(x.array());
        body.write(cities.toByteArray());
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(baseUrl() + "/v2/models/v2-endpoint/infer"))
                .header("Authorization", "Bearer " + TESTER_TOKEN)
                .header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", String.valueOf(header.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        int length = Integer.parseInt(response.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode json = JSON.readTree(new String(response.body(), 0, length, StandardCharsets.UTF_8));
        JsonNode scores = json.path("outputs").path(0);
        assertThat(scores.path("name").asText()).isEqualTo("scores");
        assertThat(scores.has("data")).isFalse();
        assertThat(scores.path("parameters").path("binary_data_size").asInt()).isEqualTo(8);
        ByteBuffer data = ByteBuffer.wrap(response.body(), length, 8).order(ByteOrder.LITTLE_ENDIAN);

        Answer asJson = call("POST", "/v2/models/v2-endpoint/infer", """
                {"inputs": [{"name": "x", "shape": [2], "datatype": "FP32", "data": [0.5, -0.5]},
                  {"name": "city", "shape": [2], "datatype": "BYTES", "data": ["paris", "oslo"]}]}""");
        assertThat((double) data.getFloat()).isCloseTo(asJson.body().path("outputs").path(0).path("data").path(0)
                .asDouble(), within(1e-6));
        assertThat((double) data.getFloat()).isCloseTo(asJson.body().path("outputs").path(0).path("data").path(1)
                .asDouble(), within(1e-6));
    }
}
