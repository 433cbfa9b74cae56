package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.app.demo.GraphQlClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Models for real data through the public API on the real stack: a three-class label, a categorical feature that
 * carries the signal, and a numeric feature that may be empty, from ingest to served predictions.
 */
class RealDataModelsTest extends PlatformTestSupport {

    private static final String[] SPECIES = {"setosa", "versicolor", "virginica"};

    private static String species(double x1, double x2) {
        double angle = Math.atan2(x2, x1);
        return angle < -Math.PI / 3 ? SPECIES[0] : angle < Math.PI / 3 ? SPECIES[1] : SPECIES[2];
    }

    private void register(String dataset, String columns) {
        graphQl(TESTER_TOKEN).document("mutation { registerDataset(input: {name: \"" + dataset + "\", columns: "
                        + columns + "}) { errors { message } } }").execute()
                .path("registerDataset.errors").entityList(Object.class).hasSize(0);
    }

    private String ingestCsv(String dataset, String csv) {
        return graphQl(TESTER_TOKEN).document("""
                        mutation($d: String!, $csv: String!) { ingestBatch(input: {dataset: $d, partition: "p", csv: $csv}) {
                          batch { batchId } errors { message } } }""")
                .variable("d", dataset).variable("csv", csv).execute()
                .path("ingestBatch.batch.batchId").entity(String.class).get();
    }

    private String train(String model, String task, String dataset, String batch, List<String> features,
                         String label) {
        return graphQl(TESTER_TOKEN).document("""
                        mutation($m: String!, $t: Task!, $d: String!, $b: ID!, $f: [String!]!, $l: String!) {
                          requestTrainingRun(input: {model: $m, task: $t, batches: [{dataset: $d, batchId: $b}],
                            features: $f, label: $l, hyperparameters: {epochs: 8, hiddenUnits: [16],
                            learningRate: 0.02}, seed: 3}) { runId errors { message } } }""")
                .variable("m", model).variable("t", task).variable("d", dataset).variable("b", batch)
                .variable("f", features).variable("l", label).execute()
                .path("requestTrainingRun.runId").entity(String.class).get();
    }

    private GraphQlClient deployAndAwait(String endpoint, String model, Map<String, Object> row) {
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

    @Test
    void aThreeClassModel_trainsFarAboveTheMajorityClass_andPredictsClassesWithProbabilities() {
        register("iris-like", """
                [{name: "x1", type: DOUBLE}, {name: "x2", type: DOUBLE}, {name: "species", type: STRING}]""");
        Random r = new Random(21);
        StringBuilder csv = new StringBuilder("x1,x2,species\n");
        for (int i = 0; i < 1500; i++) {
            double x1 = Math.round(r.nextGaussian() * 1000) / 1000.0;
            double x2 = Math.round(r.nextGaussian() * 1000) / 1000.0;
            csv.append(String.format(java.util.Locale.ROOT, "%.3f,%.3f,", x1, x2)).append(species(x1, x2))
                    .append('\n');
        }
        String batch = ingestCsv("iris-like", csv.toString());
        String runId = train("species", "MULTICLASS_CLASSIFICATION", "iris-like", batch, List.of("x1", "x2"),
                "species");
        awaitRun(runId, "COMPLETED");
        Map<String, Double> metrics = new HashMap<>();
        graphQl(AUDITOR_TOKEN).document("query($id: ID!) { trainingRun(id: $id) { metrics { name value } } }")
                .variable("id", runId).execute().path("trainingRun.metrics").entityList(Map.class).get()
                .forEach(m -> metrics.put((String) m.get("name"), ((Number) m.get("value")).doubleValue()));
        // each class holds about a third of the rows: the majority class alone would score about 0.34
        assertThat(metrics.get("accuracy")).isGreaterThan(0.8);
        assertThat(metrics).containsKeys("macroF1", "logLoss", "auc.setosa", "auc.versicolor", "auc.virginica");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                graphQl(AUDITOR_TOKEN).document("{ model(name: \"species\") { latestVersion } }").execute()
                        .path("model.latestVersion").entity(Integer.class).isEqualTo(1));

        GraphQlClient client = deployAndAwait("species-endpoint", "species", Map.of("x1", 0.1, "x2", 0.1));
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        Random fresh = new Random(77);
        for (int i = 0; i < 200; i++) {
            double x1 = fresh.nextGaussian();
            double x2 = fresh.nextGaussian();
            rows.add(Map.of("x1", x1, "x2", x2));
            expected.add(species(x1, x2));
        }
        GraphQlClient.Rest answer = client.postJson("/v1/endpoints/species-endpoint/predict", Map.of("rows", rows));
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        JsonNode body = answer.body();
        assertThat(body.path("classes").toString()).isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
        int right = 0;
        for (int i = 0; i < rows.size(); i++) {
            String predicted = body.path("predicted").path(i).asText();
            right += predicted.equals(expected.get(i)) ? 1 : 0;
            JsonNode probabilities = body.path("probabilities").path(i);
            assertThat(probabilities.size()).isEqualTo(3);
            double sum = 0;
            double top = 0;
            for (JsonNode p : probabilities) {
                sum += p.asDouble();
                top = Math.max(top, p.asDouble());
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(body.path("scores").path(i).asDouble()).isEqualTo(top);
        }
        assertThat(right).as("held-out rows predicted right").isGreaterThan(160);

        // the same version on a fresh batch: a worker computes the task's metrics and the version shows them
        StringBuilder holdout = new StringBuilder("x1,x2,species\n");
        for (int i = 0; i < 400; i++) {
            double x1 = Math.round(fresh.nextGaussian() * 1000) / 1000.0;
            double x2 = Math.round(fresh.nextGaussian() * 1000) / 1000.0;
            holdout.append(x1).append(',').append(x2).append(',').append(species(x1, x2)).append('\n');
        }
        String holdoutBatch = ingestCsv("iris-like", holdout.toString());
        String evaluation = graphQl(TESTER_TOKEN).document("""
                        mutation($b: ID!) { evaluateModelVersion(input: {model: "species", version: 1,
                          dataset: "iris-like", batchId: $b}) { evaluationId errors { message } } }""")
                .variable("b", holdoutBatch).execute()
                .path("evaluateModelVersion.errors").entityList(Object.class).hasSize(0)
                .path("evaluateModelVersion.evaluationId").entity(String.class).get();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            Map<String, Object> evaluated = graphQl(AUDITOR_TOKEN).document("""
                            { model(name: "species") { versions { edges { node { evaluations {
                              evaluationId status batchId rows metrics { name value } requestedBy } } } } } }""")
                    .execute().path("model.versions.edges[0].node.evaluations[0]").entity(Map.class).get();
            assertThat(evaluated).containsEntry("evaluationId", evaluation).containsEntry("status", "COMPLETED")
                    .containsEntry("batchId", holdoutBatch).containsEntry("rows", 400)
                    .containsEntry("requestedBy", "user:tester");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> values = (List<Map<String, Object>>) evaluated.get("metrics");
            assertThat(values).anySatisfy(m -> {
                assertThat(m.get("name")).isEqualTo("accuracy");
                assertThat(((Number) m.get("value")).doubleValue()).isGreaterThan(0.8);
            }).extracting(m -> m.get("name")).contains("macroF1", "logLoss", "auc.virginica");
        });
    }

    @Test
    void aCategoricalFeatureCarriesTheSignal_andEmptyValuesAreImputedAtTrainingAndServing() {
        register("cities", """
                [{name: "city", type: STRING, nullable: true}, {name: "income", type: DOUBLE, nullable: true},
                 {name: "label", type: LONG}]""");
        Random r = new Random(5);
        String[] cities = {"paris", "lyon", "rome", "oslo"};
        StringBuilder csv = new StringBuilder("city,income,label\n");
        for (int i = 0; i < 1500; i++) {
            String city = cities[r.nextInt(cities.length)];
            boolean noIncome = r.nextInt(5) == 0;
            csv.append(r.nextInt(20) == 0 ? "" : city).append(',')
                    .append(noIncome ? "" : String.format(java.util.Locale.ROOT, "%.3f", r.nextGaussian())).append(',')
                    .append(city.equals("paris") || city.equals("rome") ? 1 : 0).append('\n');
        }
        String batch = ingestCsv("cities", csv.toString());
        String runId = train("by-city", "BINARY_CLASSIFICATION", "cities", batch, List.of("city", "income"),
                "label");
        awaitRun(runId, "COMPLETED");
        GraphQlClient client = deployAndAwait("city-endpoint", "by-city", Map.of("city", "paris", "income", 0.2));

        Map<String, Object> noIncome = new HashMap<>();
        noIncome.put("city", "rome");
        noIncome.put("income", null);
        GraphQlClient.Rest answer = client.postJson("/v1/endpoints/city-endpoint/predict", Map.of("rows", List.of(
                Map.of("city", "paris", "income", 0.2), Map.of("city", "oslo", "income", 0.2), noIncome,
                Map.of("city", "atlantis"))));
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        assertThat(answer.body().path("scores").path(0).asDouble()).isGreaterThan(0.8);
        assertThat(answer.body().path("scores").path(1).asDouble()).isLessThan(0.2);
        assertThat(answer.body().path("scores").path(2).asDouble()).as("a null income is imputed").isGreaterThan(0.8);
        assertThat(answer.body().has("classes")).as("a binary answer stays as it was").isFalse();

        GraphQlClient.Rest wrongType = client.postJson("/v1/endpoints/city-endpoint/predict", Map.of("rows",
                List.of(Map.of("city", "paris", "income", 0.1), Map.of("city", 7, "income", 0.1))));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body().path("message").asText())
                .isEqualTo("row 2: feature 'city' is categorical and must be a string, got 7");
    }

    @Test
    void aRerunRepeatsTheRunExactly_andRecordsWhatTrainedIt() {
        Map<String, Object> batch = ingest("rerun-data", csv(400, 31));
        String original = requestRun("rerun-data", (String) batch.get("batchId"), "rerun-model");
        awaitRun(original, "COMPLETED");
        String rerun = graphQl(TESTER_TOKEN).document("""
                        mutation($id: ID!) { rerunTrainingRun(input: {runId: $id}) { runId errors { message } } }""")
                .variable("id", original).execute()
                .path("rerunTrainingRun.errors").entityList(Object.class).hasSize(0)
                .path("rerunTrainingRun.runId").entity(String.class).get();
        awaitRun(rerun, "COMPLETED");
        String query = """
                query($id: ID!) { trainingRun(id: $id) { rerunOf seed batches { batchId } features label
                  hyperparameters { epochs hiddenUnits } metrics { name value }
                  environment { annals djl engine engineVersion java os } } }""";
        @SuppressWarnings("unchecked")
        Map<String, Object> first = graphQl(AUDITOR_TOKEN).document(query).variable("id", original).execute()
                .path("trainingRun").entity(Map.class).get();
        @SuppressWarnings("unchecked")
        Map<String, Object> second = graphQl(AUDITOR_TOKEN).document(query).variable("id", rerun).execute()
                .path("trainingRun").entity(Map.class).get();
        assertThat(first.get("rerunOf")).isNull();
        assertThat(second.get("rerunOf")).isEqualTo(original);
        for (String same : List.of("seed", "batches", "features", "label", "hyperparameters", "environment")) {
            assertThat(second.get(same)).as(same).isEqualTo(first.get(same));
        }
        // bit for bit: the same data, split, initial weights and order of batches on one CPU thread
        assertThat(second.get("metrics")).as("metrics of the rerun").isEqualTo(first.get("metrics"));
        @SuppressWarnings("unchecked")
        Map<String, Object> environment = (Map<String, Object>) first.get("environment");
        assertThat(environment.get("djl")).isEqualTo(ai.djl.engine.Engine.getDjlVersion());
        assertThat(environment.get("engine")).isEqualTo("PyTorch");
        assertThat((String) environment.get("engineVersion")).isNotBlank();

        graphQl(TESTER_TOKEN).document("""
                        mutation { rerunTrainingRun(input: {runId: "no-such-run"}) { errors { code message } } }""")
                .execute().path("rerunTrainingRun.errors[0].code").entity(String.class).isEqualTo("NOT_FOUND");
    }

    @Test
    void anEvaluationThatCannotBeComputed_isRecordedAsFailedWithItsReason() {
        Map<String, Object> batch = ingest("eval-train", csv(300, 41));
        awaitRun(requestRun("eval-train", (String) batch.get("batchId"), "eval-model"), "COMPLETED");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                graphQl(AUDITOR_TOKEN).document("{ model(name: \"eval-model\") { latestVersion } }").execute()
                        .path("model.latestVersion").entity(Integer.class).isEqualTo(1));
        register("eval-unlabelled", "[{name: \"x\", type: DOUBLE}]");
        String unlabelled = ingestCsv("eval-unlabelled", "x\n0.5\n-0.5\n");
        graphQl(TESTER_TOKEN).document("""
                        mutation($b: ID!) { evaluateModelVersion(input: {model: "eval-model", version: 1,
                          dataset: "eval-unlabelled", batchId: $b}) { evaluationId errors { message } } }""")
                .variable("b", unlabelled).execute()
                .path("evaluateModelVersion.errors").entityList(Object.class).hasSize(0);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                graphQl(AUDITOR_TOKEN).document("""
                                { model(name: "eval-model") { versions { edges { node { evaluations {
                                  status failureReason } } } } } }""").execute()
                        .path("model.versions.edges[0].node.evaluations[0].status").entity(String.class)
                        .isEqualTo("FAILED")
                        .path("model.versions.edges[0].node.evaluations[0].failureReason").entity(String.class)
                        .satisfies(reason -> assertThat(reason).endsWith("has no column 'label'")));
        graphQl(TESTER_TOKEN).document("""
                        mutation { evaluateModelVersion(input: {model: "eval-model", version: 7,
                          dataset: "eval-unlabelled", batchId: "nope"}) { evaluationId errors { code message } } }""")
                .execute().path("evaluateModelVersion.errors[0].message").entity(String.class)
                .isEqualTo("model 'eval-model' has no version 7");
    }
}
