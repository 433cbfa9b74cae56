package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.app.demo.GraphQlClient;
import io.annals.infra.clients.S3Settings;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Models trained elsewhere, brought as ONNX files: imported through the REST route, served by DJL's ONNX Runtime
 * engine with the scores ONNX Runtime itself computes, traced as "imported by", evaluated on a batch, and refused
 * with a reason — leaving no version and no stored object — when the file or its signature is wrong.
 */
class ModelImportTest extends PlatformTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float[] WEIGHTS = {1.5f, -2.0f};
    private static final float BIAS = 0.3f;

    @Autowired
    S3Client s3;

    @Autowired
    S3Settings storage;

    private record Answer(int status, JsonNode body) {
    }

    private Answer upload(String model, byte[] file, String signature) throws Exception {
        HttpResponse<String> response = OnnxFiles.upload(baseUrl(), TESTER_TOKEN, model, file, signature);
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    static final String BINARY_SIGNATURE = """
            {"task": "BINARY_CLASSIFICATION", "features": [{"name": "income", "type": "DOUBLE"},
             {"name": "debt", "type": "DOUBLE"}], "output": "probability", "label": "churned"}""";

    private GraphQlClient deploy(String endpoint, String model, Map<String, Object> row) {
        graphQl(TESTER_TOKEN).document("""
                        mutation($e: String!, $m: String!) { deployModel(input: {endpoint: $e, model: $m, version: 1}) {
                          errors { message } } }""")
                .variable("e", endpoint).variable("m", model).execute()
                .path("deployModel.errors").entityList(Object.class).hasSize(0);
        GraphQlClient client = new GraphQlClient(baseUrl(), TESTER_TOKEN);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.postJson("/v1/endpoints/" + endpoint + "/predict",
                Map.of("rows", List.of(row))).status() == 200);
        return client;
    }

    /** What ONNX Runtime itself answers for these rows, read from the named output. */
    private static float[][] onnxRuntime(byte[] model, float[][] rows, String output) throws Exception {
        ai.djl.engine.Engine.getEngine("OnnxRuntime"); // the platform's engine owns the process's one environment
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, rows);
             OrtSession.Result result = session.run(Map.of("input", input))) {
            return (float[][]) result.get(output).orElseThrow().getValue();
        }
    }

    @Test
    void anImportedModelServesTheScoresOnnxRuntimeComputes_andIsTracedAndEvaluated() throws Exception {
        byte[] file = OnnxFiles.logistic(WEIGHTS, BIAS);
        Answer imported = upload("churn-onnx", file, BINARY_SIGNATURE);
        assertThat(imported.status()).as(imported.body().toString()).isEqualTo(201);
        assertThat(imported.body().path("model").asText()).isEqualTo("churn-onnx");
        assertThat(imported.body().path("version").asInt()).isEqualTo(1);
        assertThat(imported.body().path("sha256").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)));

        GraphQlClient client = deploy("churn-onnx-endpoint", "churn-onnx", Map.of("income", 0.1, "debt", 0.2));
        Random random = new Random(3);
        float[][] rows = new float[25][2];
        List<Map<String, Object>> request = new ArrayList<>();
        for (float[] row : rows) {
            row[0] = (float) random.nextGaussian();
            row[1] = (float) random.nextGaussian();
            request.add(Map.of("income", row[0], "debt", row[1]));
        }
        GraphQlClient.Rest served = client.postJson("/v1/endpoints/churn-onnx-endpoint/predict",
                Map.of("rows", request));
        assertThat(served.status()).as(served.body().toString()).isEqualTo(200);
        float[][] expected = onnxRuntime(file, rows, "probability");
        for (int i = 0; i < rows.length; i++) {
            assertThat(served.body().path("scores").path(i).asDouble()).as("row " + i)
                    .isCloseTo(expected[i][0], within(1e-5));
        }

        // lineage: imported by a person, from a file, with no run
        graphQl(AUDITOR_TOKEN).document("""
                        { lineage(model: "churn-onnx", version: 1) { run { runId } batches { batchId }
                          modelVersion { runId registeredBy imported { fileName task output label
                            features { name type } } } } }""").execute()
                .path("lineage.run").valueIsNull()
                .path("lineage.batches").entityList(Object.class).hasSize(0)
                .path("lineage.modelVersion.runId").valueIsNull()
                .path("lineage.modelVersion.registeredBy").entity(String.class).isEqualTo("user:tester")
                .path("lineage.modelVersion.imported.fileName").entity(String.class).isEqualTo("churn.onnx")
                .path("lineage.modelVersion.imported.features[*].name").entityList(String.class)
                .containsExactly("income", "debt");

        // evaluated on a batch with its label, as any version is
        graphQl(TESTER_TOKEN).document("""
                mutation { registerDataset(input: {name: "churn-holdout", columns: [{name: "income", type: DOUBLE},
                  {name: "debt", type: DOUBLE}, {name: "churned", type: LONG}]}) { errors { message } } }""").execute()
                .path("registerDataset.errors").entityList(Object.class).hasSize(0);
        StringBuilder csv = new StringBuilder("income,debt,churned\n");
        for (int i = 0; i < 300; i++) {
            double income = Math.round(random.nextGaussian() * 1000) / 1000.0;
            double debt = Math.round(random.nextGaussian() * 1000) / 1000.0;
            csv.append(income).append(',').append(debt).append(',')
                    .append(1.5 * income - 2 * debt + 0.3 > 0 ? 1 : 0).append('\n');
        }
        String batch = graphQl(TESTER_TOKEN).document("""
                        mutation($csv: String!) { ingestBatch(input: {dataset: "churn-holdout", partition: "p",
                          csv: $csv}) { batch { batchId } } }""")
                .variable("csv", csv.toString()).execute().path("ingestBatch.batch.batchId").entity(String.class)
                .get();
        graphQl(TESTER_TOKEN).document("""
                        mutation($b: ID!) { evaluateModelVersion(input: {model: "churn-onnx", version: 1,
                          dataset: "churn-holdout", batchId: $b}) { errors { message } } }""")
                .variable("b", batch).execute().path("evaluateModelVersion.errors").entityList(Object.class)
                .hasSize(0);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                graphQl(AUDITOR_TOKEN).document("""
                                { model(name: "churn-onnx") { versions { edges { node { evaluations {
                                  status rows metrics { name value } } } } } } }""").execute()
                        .path("model.versions.edges[0].node.evaluations[0].status").entity(String.class)
                        .isEqualTo("COMPLETED")
                        .path("model.versions.edges[0].node.evaluations[0].metrics[?(@.name == 'auc')].value")
                        .entityList(Double.class).satisfies(auc -> assertThat(auc.get(0)).isGreaterThan(0.99)));
    }

    @Test
    void aMultiClassImport_answersItsClasses() throws Exception {
        float[][] weights = {{2f, -1f, 0f}, {0f, 1f, -2f}};
        float[] bias = {0.1f, 0f, -0.1f};
        byte[] file = OnnxFiles.softmax(weights, bias);
        Answer imported = upload("flowers-onnx", file, """
                {"task": "MULTICLASS_CLASSIFICATION", "features": [{"name": "x1", "type": "DOUBLE"},
                 {"name": "x2", "type": "DOUBLE"}], "output": "probabilities", "classes": ["iris", "lily", "rose"]}""");
        assertThat(imported.status()).as(imported.body().toString()).isEqualTo(201);
        GraphQlClient client = deploy("flowers-onnx-endpoint", "flowers-onnx", Map.of("x1", 0, "x2", 0));
        GraphQlClient.Rest served = client.postJson("/v1/endpoints/flowers-onnx-endpoint/predict", Map.of("rows",
                List.of(Map.of("x1", 2.0, "x2", 0.0), Map.of("x1", -1.0, "x2", 2.0), Map.of("x1", 0.0, "x2", -2.0))));
        assertThat(served.status()).as(served.body().toString()).isEqualTo(200);
        assertThat(served.body().path("classes").toString()).isEqualTo("[\"iris\",\"lily\",\"rose\"]");
        float[][] expected = onnxRuntime(file, new float[][] {{2f, 0f}, {-1f, 2f}, {0f, -2f}}, "probabilities");
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < 3; c++) {
                assertThat(served.body().path("probabilities").path(i).path(c).asDouble())
                        .isCloseTo(expected[i][c], within(1e-5));
            }
        }
        // logits [4.1, -2, -0.1], [-1.9, 3, -4.1] and [0.1, -2, 3.9]
        assertThat(served.body().path("predicted").toString()).isEqualTo("[\"iris\",\"lily\",\"rose\"]");
    }

    @Test
    void aBadFileOrAMismatchedSignature_isRefusedWithItsReason_andLeavesNoVersionAndNoObject() throws Exception {
        long before = storedEvents();
        Answer garbage = upload("refused-onnx", "this is not a model".getBytes(StandardCharsets.UTF_8),
                BINARY_SIGNATURE);
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.body().path("message").asText()).startsWith("the file is not a valid ONNX model: ");

        byte[] file = OnnxFiles.logistic(WEIGHTS, BIAS);
        Answer threeFeatures = upload("refused-onnx", file, """
                {"task": "BINARY_CLASSIFICATION", "features": [{"name": "a", "type": "DOUBLE"},
                 {"name": "b", "type": "DOUBLE"}, {"name": "c", "type": "DOUBLE"}], "output": "probability"}""");
        assertThat(threeFeatures.status()).isEqualTo(400);
        assertThat(threeFeatures.body().path("message").asText())
                .contains("the signature declares 3 features, so it must be [n, 3]");

        Answer wrongOutput = upload("refused-onnx", file, BINARY_SIGNATURE.replace("\"probability\"",
                "\"score\""));
        assertThat(wrongOutput.status()).isEqualTo(400);
        assertThat(wrongOutput.body().path("message").asText()).contains("the model has no output 'score'")
                .contains("probability");

        Answer multiClassShape = upload("refused-onnx", file, """
                {"task": "MULTICLASS_CLASSIFICATION", "features": [{"name": "a", "type": "DOUBLE"},
                 {"name": "b", "type": "DOUBLE"}], "output": "probability", "classes": ["x", "y", "z"]}""");
        assertThat(multiClassShape.status()).isEqualTo(400);
        assertThat(multiClassShape.body().path("message").asText()).contains("must be [n,3] (one column per class)");

        Answer typo = upload("refused-onnx", file, BINARY_SIGNATURE.replace("\"output\"", "\"outptu\""));
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.body().path("message").asText()).isEqualTo("signature: unknown field 'outptu'; its fields "
                + "are task, features (name, type), output, classes and label");

        assertThat(storedEvents()).as("no event recorded").isEqualTo(before);
        graphQl(AUDITOR_TOKEN).document("{ model(name: \"refused-onnx\") { latestVersion } }").execute()
                .path("model").valueIsNull();
        assertThat(s3.listObjectsV2(b -> b.bucket(storage.bucket()).prefix("models/refused-onnx/")).keyCount())
                .as("objects stored").isZero();
    }
}
