package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.infra.clients.S3Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Feature sets and point-in-time training sets through the public API on the real stack: versions, typed refusals
 * that record nothing, a job a worker claims and completes, and the batch it wrote, downloaded and verified.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeatureSetsTest extends PlatformTestSupport {

    private static final String EVENTS = """
            user,at,amount,city
            ann,2026-03-01T10:00:00Z,10.0,paris
            ann,2026-03-01T11:30:00Z,5.5,lyon
            bob,2026-03-01T09:00:00Z,7,rome
            """;
    /** A later batch of the same partition: it replaces the first as the partition's current batch. */
    private static final String EVENTS_CORRECTED = """
            user,at,amount,city
            ann,2026-03-01T10:00:00Z,10.0,paris
            ann,2026-03-01T11:30:00Z,6.5,lyon
            bob,2026-03-01T09:00:00Z,7,rome
            """;
    private static final String MORE_EVENTS = """
            user,at,amount,city
            ann,2026-03-01T11:45:00Z,1,nice
            ann,2026-03-01T12:00:01Z,100,oslo
            """;
    private static final String LABELS = """
            uid,when,churned
            ann,2026-03-01T12:00:00Z,1
            bob,2026-03-01T08:59:59Z,0
            carl,2026-03-01T12:00:00Z,0
            ann,2026-03-01T10:00:00Z,0
            """;

    @Autowired
    S3Client s3;

    @Autowired
    S3Settings storage;

    private String labelBatch;
    private String firstEventBatch;
    private String correctedEventBatch;
    private Instant beforeCorrection;

    @BeforeAll
    void datasets() {
        register("fs-events", """
                [{name: "user", type: STRING}, {name: "at", type: TIMESTAMP}, {name: "amount", type: DOUBLE,
                  nullable: true}, {name: "city", type: STRING, nullable: true}]""");
        firstEventBatch = ingestInto("fs-events", "p1", EVENTS);
        beforeCorrection = Instant.now();
        correctedEventBatch = ingestInto("fs-events", "p1", EVENTS_CORRECTED);
        ingestInto("fs-events", "p2", MORE_EVENTS);
        register("fs-labels", """
                [{name: "uid", type: STRING}, {name: "when", type: TIMESTAMP}, {name: "churned", type: LONG}]""");
        labelBatch = ingestInto("fs-labels", "l", LABELS);
    }

    private void register(String name, String columns) {
        graphQl(TESTER_TOKEN).document("mutation { registerDataset(input: {name: \"" + name + "\", columns: "
                        + columns + "}) { errors { message } } }").execute()
                .path("registerDataset.errors").entityList(Object.class).hasSize(0);
    }

    private String ingestInto(String dataset, String partition, String csv) {
        return graphQl(TESTER_TOKEN).document("""
                        mutation($d: String!, $p: String!, $csv: String!) { ingestBatch(input: {dataset: $d,
                          partition: $p, csv: $csv}) { batch { batchId } errors { message } } }""")
                .variable("d", dataset).variable("p", partition).variable("csv", csv).execute()
                .path("ingestBatch.batch.batchId").entity(String.class).get();
    }

    private GraphQlTester.Response registerFeatureSet(String name, String features) {
        return graphQl(TESTER_TOKEN).document("mutation { registerFeatureSet(input: {name: \"" + name + "\", "
                + "description: \"spend per user\", owner: \"team-risk\", source: {dataset: \"fs-events\"}, "
                + "entityKeys: [\"user\"], timestampColumn: \"at\", features: " + features + "}) { version "
                + "featureSet { name latestVersion versions { version registeredBy features { name window } } } "
                + "errors { code message } } }").execute();
    }

    private static final String TWO_FEATURES = """
            [{name: "spend_1h", column: "amount", aggregation: SUM, window: "PT1H"},
             {name: "last_city", column: "city", aggregation: LAST}]""";

    @Test
    void givenADefinition_whenRegisteredAgainUnchangedAndThenChanged_thenVersionsOneOneTwo() {
        registerFeatureSet("fs-versions", TWO_FEATURES).path("registerFeatureSet.version").entity(Integer.class)
                .isEqualTo(1);
        Instant between = Instant.now();
        long before = storedEvents();
        registerFeatureSet("fs-versions", TWO_FEATURES).path("registerFeatureSet.version").entity(Integer.class)
                .isEqualTo(1);
        assertThat(storedEvents()).as("an unchanged definition records nothing").isEqualTo(before);
        var changed = registerFeatureSet("fs-versions", """
                [{name: "spend_1d", column: "amount", aggregation: SUM, window: "PT24H"}]""");
        changed.path("registerFeatureSet.version").entity(Integer.class).isEqualTo(2);
        changed.path("registerFeatureSet.featureSet.latestVersion").entity(Integer.class).isEqualTo(2);
        changed.path("registerFeatureSet.featureSet.versions[1].features[0].window").entity(String.class)
                .isEqualTo("P1D");
        changed.path("registerFeatureSet.featureSet.versions[0].registeredBy").entity(String.class)
                .isEqualTo("user:tester");

        graphQl(AUDITOR_TOKEN).document("""
                        query($at: DateTime) { featureSet(name: "fs-versions", asOf: $at) { latestVersion
                          versions { version } } }""").variable("at", between.toString()).execute()
                .path("featureSet.versions[*].version").entityList(Integer.class).containsExactly(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl(AUDITOR_TOKEN).document("""
                        { featureSets(first: 1000) { edges { node { name latestVersion } } } }""").execute()
                .path("featureSets.edges[*].node.name").entityList(String.class).contains("fs-versions"));
    }

    @Test
    void givenBadDefinitions_whenRegistered_thenTypedErrorsAndNothingRecorded() {
        long before = storedEvents();
        registerFeatureSet("fs-bad", """
                [{name: "total_city", column: "city", aggregation: SUM}]""")
                .path("registerFeatureSet.errors[0].code").entity(String.class).isEqualTo("INVALID_INPUT")
                .path("registerFeatureSet.errors[0].message").entity(String.class).isEqualTo("feature 'total_city' "
                        + "takes the SUM of column 'city', which is STRING; SUM needs a numeric or boolean column");
        registerFeatureSet("fs-bad", """
                [{name: "x", column: "amount", aggregation: SUM, window: "P1M"}]""")
                .path("registerFeatureSet.errors[0].code").entity(String.class).isEqualTo("INVALID_INPUT");
        registerFeatureSet("fs-bad", """
                [{name: "x", column: "amount_eur", aggregation: SUM}]""")
                .path("registerFeatureSet.errors[0].message").entity(String.class).isEqualTo("column 'amount_eur' "
                        + "of feature 'x' is not in dataset 'fs-events' (its columns: [user, at, amount, city])");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenAFeatureSetAndLabels_whenMaterialized_thenTheBatchIsPointInTimeCorrectAndPinsItsInputs()
            throws Exception {
        registerFeatureSet("fs-train", TWO_FEATURES).path("registerFeatureSet.version").entity(Integer.class)
                .isEqualTo(1);
        String id = graphQl(TESTER_TOKEN).document("""
                        mutation($b: ID!) { materializeTrainingSet(input: {featureSet: "fs-train", version: 1,
                          labels: {dataset: "fs-labels", batchIds: [$b], entityKeys: ["uid"], timestampColumn: "when",
                          labelColumn: "churned"}, name: "fs-train-set"}) {
                          trainingSetId trainingSet { status } errors { message } } }""")
                .variable("b", labelBatch).execute()
                .path("materializeTrainingSet.trainingSet.status").entity(String.class)
                .satisfies(s -> assertThat(s).isIn("REQUESTED", "RUNNING", "COMPLETED"))
                .path("materializeTrainingSet.trainingSetId").entity(String.class).get();

        Map<String, Object>[] set = new Map[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            set[0] = graphQl(AUDITOR_TOKEN).document("""
                            query($id: ID!) { trainingSet(id: $id) { trainingSetId name status failureReason attempt
                              progress { phase done total } sources { dataset batchId sha256 }
                              labelBatches { batchId } schema { name type nullable }
                              featureSetVersion { version features { name } }
                              output { dataset batchId sha256 rows } requestedBy finishedAt } }""")
                    .variable("id", id).execute().path("trainingSet").entity(Map.class).get();
            assertThat(set[0].get("status")).as("%s", set[0]).isEqualTo("COMPLETED");
        });
        Map<String, Object> output = (Map<String, Object>) set[0].get("output");
        assertThat(output).containsEntry("dataset", "fs-train-set").containsEntry("rows", 4);
        assertThat((List<Map<String, Object>>) set[0].get("sources")).extracting(s -> s.get("batchId"))
                .as("the current batch of each partition, not the replaced one").hasSize(2)
                .doesNotContain(firstEventBatch);
        assertThat((List<Map<String, Object>>) set[0].get("schema")).extracting(c -> c.get("name") + ":"
                + c.get("type")).containsExactly("uid:STRING", "when:TIMESTAMP", "churned:LONG", "spend_1h:DOUBLE",
                "last_city:STRING");
        assertThat(set[0]).containsEntry("requestedBy", "user:tester");

        HttpResponse<String> download = download("fs-train-set", (String) output.get("batchId"), TESTER_TOKEN);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("X-Annals-Sha256")).contains((String) output.get("sha256"));
        // ann at 12:00: 11:30 (6.5, the corrected batch) and 11:45 (1) are inside (11:00, 12:00]; 12:00:01 is later
        assertThat(download.body()).isEqualTo("""
                uid,when,churned,spend_1h,last_city
                ann,2026-03-01T12:00:00Z,1,7.5,nice
                bob,2026-03-01T08:59:59Z,0,0.0,
                carl,2026-03-01T12:00:00Z,0,0.0,
                ann,2026-03-01T10:00:00Z,0,10.0,paris
                """);
        // the dataset's read model follows the batch's ingestion on a processor of its own
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl(AUDITOR_TOKEN).document("""
                        { dataset(name: "fs-train-set") { batchCount schema { name } } }""").execute()
                .path("dataset.batchCount").entity(Long.class).isEqualTo(1L));
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenATrainingSet_whenAModelIsTrainedOnIt_thenLineageAndImpactFollowTheWholeChain() {
        register("fs-chain-events", """
                [{name: "user", type: STRING}, {name: "at", type: TIMESTAMP}, {name: "amount", type: DOUBLE,
                  nullable: true}, {name: "city", type: STRING, nullable: true}]""");
        register("fs-chain-labels", """
                [{name: "uid", type: STRING}, {name: "when", type: TIMESTAMP}, {name: "churned", type: LONG}]""");
        Random random = new Random(3);
        StringBuilder events = new StringBuilder("user,at,amount,city\n");
        StringBuilder labels = new StringBuilder("uid,when,churned\n");
        Instant day = Instant.parse("2026-03-01T00:00:00Z");
        for (int i = 0; i < 400; i++) {
            events.append("u").append(random.nextInt(20)).append(',').append(day.plusSeconds(random.nextInt(86_400)))
                    .append(',').append(random.nextInt(100)).append(",x\n");
        }
        for (int i = 0; i < 200; i++) {
            labels.append("u").append(random.nextInt(20)).append(',').append(day.plusSeconds(random.nextInt(86_400)))
                    .append(',').append(i % 2).append('\n');
        }
        String source = ingestInto("fs-chain-events", "day-1", events.toString());
        String label = ingestInto("fs-chain-labels", "day-1", labels.toString());
        graphQl(TESTER_TOKEN).document("""
                        mutation { registerFeatureSet(input: {name: "fs-chain", owner: "team-risk",
                          source: {dataset: "fs-chain-events"}, entityKeys: ["user"], timestampColumn: "at",
                          features: [{name: "spend_1h", column: "amount", aggregation: SUM, window: "PT1H"},
                                     {name: "orders_1d", column: "amount", aggregation: COUNT, window: "P1D"}]}) {
                          version errors { message } } }""").execute()
                .path("registerFeatureSet.version").entity(Integer.class).isEqualTo(1);
        String trainingSet = graphQl(TESTER_TOKEN).document("""
                        mutation($b: ID!) { materializeTrainingSet(input: {featureSet: "fs-chain", version: 1,
                          labels: {dataset: "fs-chain-labels", batchIds: [$b], entityKeys: ["uid"],
                          timestampColumn: "when", labelColumn: "churned"}, name: "fs-chain-set"}) {
                          trainingSetId errors { message } } }""")
                .variable("b", label).execute().path("materializeTrainingSet.trainingSetId").entity(String.class)
                .get();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                graphQl(AUDITOR_TOKEN).document("query($id: ID!) { trainingSet(id: $id) { status } }")
                        .variable("id", trainingSet).execute().path("trainingSet.status").entity(String.class)
                        .isEqualTo("COMPLETED"));

        String runId = graphQl(TESTER_TOKEN).document("""
                        mutation($t: ID!) { requestTrainingRun(input: {model: "fs-chain-model",
                          task: BINARY_CLASSIFICATION, trainingSet: $t, features: ["spend_1h", "orders_1d"],
                          label: "churned", hyperparameters: {epochs: 2, hiddenUnits: [4]}}) {
                          runId run { featureSet featureSetVersion trainingSet { trainingSetId } }
                          errors { message } } }""")
                .variable("t", trainingSet).execute()
                .path("requestTrainingRun.run.featureSet").entity(String.class).isEqualTo("fs-chain")
                .path("requestTrainingRun.run.featureSetVersion").entity(Integer.class).isEqualTo(1)
                .path("requestTrainingRun.run.trainingSet.trainingSetId").entity(String.class).isEqualTo(trainingSet)
                .path("requestTrainingRun.runId").entity(String.class).get();
        awaitRun(runId, "COMPLETED");

        Map<String, Object>[] lineage = new Map[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            lineage[0] = graphQl(AUDITOR_TOKEN).document("""
                            { lineage(model: "fs-chain-model", version: 1) { run { runId }
                              batches { batchId dataset } trainingSet { trainingSetId featureSet version }
                              featureSetVersion { version source features { name } } sourceBatches { batchId }
                              datasets { name } } }""").execute().path("lineage").entity(Map.class).get();
            assertThat(lineage[0]).isNotNull();
            // each part comes from its own read model, each following the log on a processor of its own
            assertThat((Map<String, Object>) lineage[0].get("trainingSet")).containsEntry("trainingSetId",
                    trainingSet).containsEntry("featureSet", "fs-chain").containsEntry("version", 1);
            assertThat((Map<String, Object>) lineage[0].get("featureSetVersion")).containsEntry("source",
                    "fs-chain-events");
            assertThat((List<Map<String, Object>>) lineage[0].get("batches")).extracting(b -> b.get("dataset"))
                    .containsExactly("fs-chain-set");
            assertThat((List<Map<String, Object>>) lineage[0].get("sourceBatches"))
                    .extracting(b -> b.get("batchId")).containsExactlyInAnyOrder(source, label);
            assertThat((List<Map<String, Object>>) lineage[0].get("datasets")).extracting(d -> d.get("name"))
                    .containsExactlyInAnyOrder("fs-chain-set", "fs-chain-events", "fs-chain-labels");
        });

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl(AUDITOR_TOKEN).document("""
                        query($b: ID!) { batchImpact(batchId: $b) { trainingSets { trainingSetId } runs { runId }
                          modelVersions { model version } } }""").variable("b", source).execute()
                .path("batchImpact.trainingSets[*].trainingSetId").entityList(String.class)
                .containsExactly(trainingSet)
                .path("batchImpact.runs[*].runId").entityList(String.class).containsExactly(runId)
                .path("batchImpact.modelVersions[*].model").entityList(String.class)
                .containsExactly("fs-chain-model"));
    }

    @Test
    void givenBadRequests_whenMaterialized_thenTypedErrorsAndNothingRecorded() {
        registerFeatureSet("fs-refusals", TWO_FEATURES).path("registerFeatureSet.version").entity(Integer.class)
                .isEqualTo(1);
        long before = storedEvents();
        materialize("fs-refusals", 9, "[\"uid\"]", "when")
                .path("materializeTrainingSet.errors[0].code").entity(String.class).isEqualTo("NOT_FOUND")
                .path("materializeTrainingSet.errors[0].message").entity(String.class)
                .isEqualTo("feature set 'fs-refusals' has no version 9");
        materialize("fs-refusals", 1, "[\"uid\", \"churned\"]", "when")
                .path("materializeTrainingSet.errors[0].code").entity(String.class).isEqualTo("INVALID_INPUT");
        materialize("fs-refusals", 1, "[\"uid\"]", "ts")
                .path("materializeTrainingSet.errors[0].message").entity(String.class)
                .isEqualTo("timestamp column 'ts' is not in label dataset 'fs-labels' (its columns: [uid, when, "
                        + "churned])");
        assertThat(storedEvents()).isEqualTo(before);
    }

    private GraphQlTester.Response materialize(String featureSet, int version, String keys, String time) {
        return graphQl(TESTER_TOKEN).document("mutation($b: ID!) { materializeTrainingSet(input: {featureSet: \""
                        + featureSet + "\", version: " + version + ", labels: {dataset: \"fs-labels\", batchIds: [$b], "
                        + "entityKeys: " + keys + ", timestampColumn: \"" + time + "\", labelColumn: \"churned\"}, "
                        + "name: \"fs-refused-set\"}) { trainingSetId errors { code message } } }")
                .variable("b", labelBatch).execute();
    }

    @Test
    void givenAPartitionRepointed_whenTheDatasetIsAskedAsOfEarlier_thenItPointsAtTheBatchOfThen() {
        // the partitions as of an instant are replayed from the batches list, a search: it shows a batch within
        // Elasticsearch's refresh interval
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var then = graphQl(AUDITOR_TOKEN).document("""
                            query($at: DateTime) { dataset(name: "fs-events", asOf: $at) { batchCount
                              partitions { partition batchId } } }""").variable("at", beforeCorrection.toString())
                    .execute();
            then.path("dataset.batchCount").entity(Long.class).isEqualTo(1L);
            then.path("dataset.partitions[*].batchId").entityList(String.class).containsExactly(firstEventBatch);
        });
        var now = graphQl(AUDITOR_TOKEN).document("""
                        { dataset(name: "fs-events") { batchCount partitions { partition batchId } } }""").execute();
        now.path("dataset.batchCount").entity(Long.class).isEqualTo(3L);
        now.path("dataset.partitions[0].batchId").entity(String.class).isEqualTo(correctedEventBatch);
        graphQl(AUDITOR_TOKEN).document("""
                        { dataset(name: "fs-events", asOf: "2020-01-01T00:00:00Z") { name } }""").execute()
                .path("dataset").valueIsNull();
    }

    @Test
    void givenAnyBatch_whenDownloaded_thenItsBytesOr401Or404() throws Exception {
        HttpResponse<String> ok = download("fs-labels", labelBatch, AUDITOR_TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo(LABELS);
        assertThat(download("fs-labels", labelBatch, null).statusCode()).isEqualTo(401);
        assertThat(download("fs-labels", "no-such-batch", AUDITOR_TOKEN).statusCode()).isEqualTo(404);
        assertThat(download("fs-events", labelBatch, AUDITOR_TOKEN).statusCode()).as("a batch of another dataset")
                .isEqualTo(404);
    }

    @Test
    void givenABatchChangedInStorage_whenDownloaded_then409AndNotTheBytes() throws Exception {
        Map<String, Object> batch = ingest("fs-tampered", csv(20, 1));
        String key = ((String) batch.get("location")).substring(("s3://" + storage.bucket() + "/").length());
        s3.putObject(b -> b.bucket(storage.bucket()).key(key), RequestBody.fromString(csv(20, 2)));

        HttpResponse<String> refused = download("fs-tampered", (String) batch.get("batchId"), AUDITOR_TOKEN);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("DIGEST_MISMATCH").contains((String) batch.get("sha256"));
    }

    private HttpResponse<String> download(String dataset, String batchId, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/datasets/" + dataset
                + "/batches/" + batchId)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
