package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import io.annals.command.domain.pipeline.PipelineClock;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Autowired;
import io.annals.app.demo.GraphQlClient;
import org.junit.jupiter.api.Test;

/**
 * Pipelines end to end on the real stack: a batch ingested into an input partition starts a run that trains,
 * evaluates the candidate and the champion on the held-out batch, and promotes or refuses it by the gate; a
 * re-point of a partition after a bad batch retrains on the restored data. Every step is an event with the pipeline's
 * own service principal as its actor.
 */
class PipelinesTest extends PlatformTestSupport {

    private static final String RUN_FIELDS = """
            id status step reason version candidate champion revision startedBy trainingRunId
            causes { kind dataset partition batchId note }
            steps { step status startedAt finishedAt }
            batches { batchId } heldOut { batchId }
            candidateMetrics { name value } championMetrics { name value }
            gate { passed candidate champion checks { metric better margin candidate champion passed } }""";

    /** x is a standard normal; label = 1 when x > 0 (a good batch), or the opposite (a bad one). */
    private static String rows(int count, long seed, boolean good) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder("x,label\n");
        for (int i = 0; i < count; i++) {
            double x = r.nextGaussian();
            s.append(x).append(',').append((x > 0) == good ? 1 : 0).append('\n');
        }
        return s.toString();
    }

    private String batch(String dataset, String partition, String csv) {
        return graphQl(TESTER_TOKEN).document("""
                        mutation($d: String!, $p: String!, $csv: String!) { ingestBatch(input: {dataset: $d,
                          partition: $p, csv: $csv}) { batch { batchId } errors { message } } }""")
                .variable("d", dataset).variable("p", partition).variable("csv", csv).execute()
                .path("ingestBatch.errors").entityList(Object.class).hasSize(0)
                .path("ingestBatch.batch.batchId").entity(String.class).get();
    }

    private void dataset(String name) {
        graphQl(TESTER_TOKEN).document("""
                        mutation($n: String!) { registerDataset(input: {name: $n, columns: [
                          {name: "x", type: DOUBLE}, {name: "label", type: LONG}]}) { errors { message } } }""")
                .variable("n", name).execute().path("registerDataset.errors").entityList(Object.class).hasSize(0);
    }

    private Map<String, Object> register(String name, String dataset, String model, String rules, String endpoint) {
        return graphQl(TESTER_TOKEN).document("""
                        mutation($n: String!, $d: String!, $m: String!, $e: String) { registerPipeline(input: {
                          name: $n, model: $m,
                          trainingSpec: {task: BINARY_CLASSIFICATION, features: ["x"], label: "label",
                            hyperparameters: {epochs: 4, hiddenUnits: [4], learningRate: 0.05}},
                          inputs: [{dataset: $d, partitions: ["train"]}],
                          trigger: {onNewBatch: true},
                          gate: {heldOut: {dataset: $d, partition: "holdout"}, rules: %s},
                          deployment: {alias: "champion", endpoint: $e}}) {
                          version pipeline { name version paused definition { model trigger { onNewBatch }
                            gate { heldOut { partition } rules { metric better margin } }
                            deployment { alias endpoint } } }
                          errors { code message } } }""".formatted(rules))
                .variable("n", name).variable("d", dataset).variable("m", model).variable("e", endpoint)
                .execute().path("registerPipeline").entity(Map.class).get();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> awaitPipelineRun(String id, String status) {
        Map<String, Object>[] run = new Map[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .untilAsserted(() -> {
                    run[0] = graphQl(AUDITOR_TOKEN).document("query($id: ID!) { pipelineRun(id: $id) { "
                                    + RUN_FIELDS + " } }")
                            .variable("id", id).execute().path("pipelineRun").entity(Map.class).get();
                    assertThat(run[0].get("status")).as("run %s: %s", id, run[0]).isNotEqualTo("RUNNING");
                });
        assertThat(run[0]).as("run %s", id).containsEntry("status", status);
        return run[0];
    }

    @SuppressWarnings("unchecked")
    private static double metric(Map<String, Object> run, String which, String name) {
        return ((List<Map<String, Object>>) run.get(which)).stream().filter(m -> m.get("name").equals(name))
                .map(m -> ((Number) m.get("value")).doubleValue()).findFirst().orElseThrow();
    }

    /** The version the model's champion alias points at, read from the record (not a read model). */
    private Integer aliasOf(String model) {
        List<Integer> versions = jdbc.queryForList("select convert_from(payload, 'UTF8') from domainevententry "
                        + "where aggregateidentifier = ? and payloadtype like '%ModelAliasAssigned%' "
                        + "order by sequencenumber desc limit 1", String.class, "model:" + model).stream()
                .map(json -> Integer.valueOf(json.replaceAll(".*\"version\":([0-9]+).*", "$1"))).toList();
        return versions.isEmpty() ? null : versions.get(0);
    }

    private Map<String, Object> endpointServes(String endpoint) {
        return graphQl(AUDITOR_TOKEN).document("""
                        query($e: String!) { endpoint(name: $e) { currentRevision targets { model version } } }""")
                .variable("e", endpoint).execute().path("endpoint").entity(Map.class).get();
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenAPipeline_whenBatchesArrive_thenABetterCandidateIsPromotedAndAWorseOneRefusedWhileTheChampionServes()
            throws Exception {
        dataset("pl-loans");
        batch("pl-loans", "holdout", rows(400, 1, true));
        String first = batch("pl-loans", "train", rows(300, 2, false)); // before the pipeline: triggers nothing
        Map<String, Object> registered = register("pl-nightly", "pl-loans", "pl-risk",
                "[{metric: \"auc\", margin: 0.005}, {metric: \"logLoss\", margin: 0}]", "pl-scoring");
        assertThat((List<Object>) registered.get("errors")).isEmpty();
        assertThat(registered.get("version")).isEqualTo(1);
        assertThat((Map<String, Object>) registered.get("pipeline")).containsEntry("version", 1)
                .containsEntry("paused", false);
        // the same definition again is the same version
        assertThat(register("pl-nightly", "pl-loans", "pl-risk",
                "[{metric: \"auc\", margin: 0.005}, {metric: \"logLoss\", margin: 0}]", "pl-scoring"))
                .containsEntry("version", 1);

        // 1. by hand, on the first (bad) batch: no champion yet, so the candidate is promoted
        Map<String, Object> triggered = graphQl(TESTER_TOKEN).document("""
                        mutation { triggerPipeline(input: {pipeline: "pl-nightly", note: "first model"}) {
                          run { id status startedBy causes { kind note } batches { batchId } } queued
                          errors { message } } }""").execute().path("triggerPipeline").entity(Map.class).get();
        assertThat((List<Object>) triggered.get("errors")).isEmpty();
        Map<String, Object> started = (Map<String, Object>) triggered.get("run");
        assertThat(started).containsEntry("id", "pl-nightly#1").containsEntry("startedBy", "user:tester");
        assertThat((List<Object>) started.get("batches")).containsExactly(Map.of("batchId", first));
        Map<String, Object> run1 = awaitPipelineRun("pl-nightly#1", "PROMOTED");
        assertThat(run1).containsEntry("candidate", 1).containsEntry("champion", null).containsEntry("revision", 1)
                .containsEntry("trainingRunId", "pipeline.pl-nightly.1");
        assertThat((List<Map<String, Object>>) run1.get("steps")).extracting(s -> s.get("status"))
                .containsExactly("SKIPPED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SKIPPED");

        // 2. a good batch in the train partition: a run starts by itself, beats the champion, and is promoted; a
        // subscriber sees it move
        String good;
        Map<String, Object> run2;
        try (GraphQlClient.Subscription runs = new GraphQlClient(baseUrl(), AUDITOR_TOKEN).subscribe(
                "subscription { pipelineRuns(pipeline: \"pl-nightly\") { id status step } }", Map.of())) {
            good = batch("pl-loans", "train", rows(300, 3, true));
            run2 = awaitPipelineRun("pl-nightly#2", "PROMOTED");
            java.util.List<String> seen = new java.util.ArrayList<>();
            while (!seen.contains("pl-nightly#2 PROMOTED")) {
                var update = runs.next(Duration.ofSeconds(30)).path("pipelineRuns");
                seen.add(update.path("id").asText() + " " + update.path("status").asText());
            }
            assertThat(seen).startsWith("pl-nightly#2 RUNNING").endsWith("pl-nightly#2 PROMOTED");
        }
        assertThat((List<Map<String, Object>>) run2.get("causes")).singleElement().satisfies(c ->
                assertThat(c).containsEntry("kind", "NEW_BATCH").containsEntry("batchId", good)
                        .containsEntry("partition", "train"));
        assertThat(run2).containsEntry("startedBy", "user:tester") // the actor of the batch
                .containsEntry("candidate", 2).containsEntry("champion", 1).containsEntry("revision", 2);
        assertThat(metric(run2, "candidateMetrics", "auc")).isGreaterThan(metric(run2, "championMetrics", "auc"));
        assertThat((Map<String, Object>) run2.get("gate")).containsEntry("passed", true);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                assertThat(endpointServes("pl-scoring")).containsEntry("currentRevision", 2)
                        .satisfies(e -> assertThat((List<Object>) e.get("targets"))
                                .containsExactly(Map.of("model", "pl-risk", "version", 2))));

        // 3. a bad batch: the candidate is worse, the gate refuses it with the numbers, the champion keeps serving
        batch("pl-loans", "train", rows(300, 4, false));
        Map<String, Object> run3 = awaitPipelineRun("pl-nightly#3", "REJECTED");
        assertThat(run3).containsEntry("candidate", 3).containsEntry("champion", 2).containsEntry("step", "GATE")
                .containsEntry("revision", null);
        assertThat((String) run3.get("reason")).startsWith("version 3 did not beat version 2: auc ");
        Map<String, Object> gate = (Map<String, Object>) run3.get("gate");
        assertThat(gate).containsEntry("passed", false);
        assertThat((List<Map<String, Object>>) gate.get("checks")).first().satisfies(check -> assertThat(check)
                .containsEntry("metric", "auc").containsEntry("better", "HIGHER").containsEntry("margin", 0.005)
                .containsEntry("passed", false));
        assertThat((List<Map<String, Object>>) run3.get("steps")).extracting(s -> s.get("step") + "=" + s.get("status"))
                .containsExactly("MATERIALIZE=SKIPPED", "TRAIN=SUCCEEDED", "EVALUATE=SUCCEEDED", "GATE=FAILED",
                        "DEPLOY=SKIPPED", "OBSERVE=SKIPPED");
        assertThat(endpointServes("pl-scoring")).containsEntry("currentRevision", 2); // unchanged since it was 2
        assertThat(aliasOf("pl-risk")).isEqualTo(2);

        // listed newest first, and found from the batches they touched
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl(AUDITOR_TOKEN).document("""
                        { pipelineRuns(pipeline: "pl-nightly") { totalCount edges { node { id status run { step } } } } }""")
                .execute().path("pipelineRuns.edges[*].node.id").entityList(String.class)
                .containsExactly("pl-nightly#3", "pl-nightly#2", "pl-nightly#1")
                .path("pipelineRuns.edges[0].node.status").entity(String.class).isEqualTo("REJECTED")
                .path("pipelineRuns.edges[0].node.run.step").entity(String.class).isEqualTo("GATE"));
        graphQl(AUDITOR_TOKEN).document("""
                        query($b: ID!) { batchImpact(batchId: $b) { pipelineRuns { edges { node { id } } } } }""")
                .variable("b", good).execute().path("batchImpact.pipelineRuns.edges[*].node.id")
                .entityList(String.class).containsExactly("pl-nightly#2");
        // the list of pipelines shows each with its latest run
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl(AUDITOR_TOKEN).document("""
                        { pipelines(model: "pl-risk") { totalCount edges { node { name version endpoint paused
                          lastRun lastStatus registeredBy pipeline { version } } } } }""").execute()
                .path("pipelines.edges[*].node.name").entityList(String.class).containsExactly("pl-nightly")
                .path("pipelines.edges[0].node.lastRun").entity(Integer.class).isEqualTo(3)
                .path("pipelines.edges[0].node.lastStatus").entity(String.class).isEqualTo("REJECTED")
                .path("pipelines.edges[0].node.endpoint").entity(String.class).isEqualTo("pl-scoring")
                .path("pipelines.edges[0].node.registeredBy").entity(String.class).isEqualTo("user:tester")
                .path("pipelines.edges[0].node.pipeline.version").entity(Integer.class).isEqualTo(1));

        // every automatic step acted as the pipeline's own principal
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(graphQl(AUDITOR_TOKEN).document("""
                            { auditEvents(filter: {entityKind: "endpoint", entityId: "pl-scoring"}) {
                              edges { node { actor } } } }""").execute()
                    .path("auditEvents.edges[*].node.actor").entityList(String.class).get())
                    .containsOnly("service:pipeline/pl-nightly").hasSize(2);
            assertThat(graphQl(AUDITOR_TOKEN).document("""
                            { auditEvents(filter: {entityKind: "run", entityId: "pipeline.pl-nightly.3",
                              eventType: "annals.TrainingRunRequested"}) { edges { node { actor } } } }""")
                    .execute().path("auditEvents.edges[*].node.actor").entityList(String.class).get())
                    .containsExactly("service:pipeline/pl-nightly");
        });
    }

    /** Events of users u0..u{users-1}: eight each over two days, amounts of 1 to 40. */
    private static String spendEvents(int users, long seed) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder("user,at,amount\n");
        for (int u = 0; u < users; u++) {
            for (int e = 0; e < 8; e++) {
                Instant at = SPEND_DAY.plusSeconds(r.nextInt(2 * 86_400));
                s.append('u').append(u).append(',').append(at).append(',').append(1 + r.nextInt(40)).append('\n');
            }
        }
        return s.toString();
    }

    private static final Instant SPEND_DAY = Instant.parse("2026-03-01T00:00:00Z");

    /**
     * Label rows for users from..to-1, two each at times on the second day: 1 when the user spent more than 60 in the
     * day before (what the feature set computes as spend_1d), computed here from the same events.
     */
    private static String spendLabels(String events, int from, int to, long seed) {
        Random r = new Random(seed);
        List<String[]> rows = events.lines().skip(1).map(l -> l.split(",")).toList();
        StringBuilder s = new StringBuilder("uid,when,label\n");
        for (int u = from; u < to; u++) {
            for (int k = 0; k < 2; k++) {
                Instant when = SPEND_DAY.plusSeconds(86_400 + r.nextInt(86_400)).plusMillis(500);
                String user = "u" + u;
                double spent = rows.stream().filter(row -> row[0].equals(user))
                        .filter(row -> { Instant at = Instant.parse(row[1]);
                            return at.isAfter(when.minusSeconds(86_400)) && !at.isAfter(when); })
                        .mapToDouble(row -> Double.parseDouble(row[2])).sum();
                s.append(user).append(',').append(when).append(',').append(spent > 60 ? 1 : 0).append('\n');
            }
        }
        return s.toString();
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenAPipelineOnAFeatureSet_whenLabelsArrive_thenEachRunMaterialisesItsSetsTrainsOnOneAndEvaluatesOnTheOther() {
        graphQl(TESTER_TOKEN).document("""
                        mutation { a: registerDataset(input: {name: "pfs-events", columns: [{name: "user", type: STRING},
                          {name: "at", type: TIMESTAMP}, {name: "amount", type: DOUBLE}]}) { errors { message } }
                          b: registerDataset(input: {name: "pfs-labels", columns: [{name: "uid", type: STRING},
                          {name: "when", type: TIMESTAMP}, {name: "label", type: LONG}]}) { errors { message } } }""")
                .execute().path("a.errors").entityList(Object.class).hasSize(0)
                .path("b.errors").entityList(Object.class).hasSize(0);
        String events = spendEvents(150, 21);
        batch("pfs-events", "all", events);
        graphQl(TESTER_TOKEN).document("""
                        mutation { registerFeatureSet(input: {name: "pfs-spend", owner: "team-risk",
                          source: {dataset: "pfs-events"}, entityKeys: ["user"], timestampColumn: "at", features: [
                          {name: "spend_1d", column: "amount", aggregation: SUM, window: "P1D"},
                          {name: "avg_amount", column: "amount", aggregation: MEAN}]}) { version errors { message } } }""")
                .execute().path("registerFeatureSet.version").entity(Integer.class).isEqualTo(1);
        String heldOut = batch("pfs-labels", "holdout", spendLabels(events, 100, 150, 22));

        String definition = """
                mutation($features: [String!]!) { registerPipeline(input: {name: "pfs-churn", model: "pfs-risk",
                  trainingSpec: {task: BINARY_CLASSIFICATION, features: $features, label: "label",
                    hyperparameters: {epochs: 20, hiddenUnits: [8], learningRate: 0.05}},
                  featureSet: {name: "pfs-spend", output: "pfs-sets"},
                  labels: {dataset: "pfs-labels", partitions: ["train"], entityKeys: ["uid"], timestampColumn: "when"},
                  trigger: {onNewBatch: true},
                  gate: {heldOut: {dataset: "pfs-labels", partition: "holdout"}, rules: [{metric: "auc"}]}}) {
                  version pipeline { definition { inputs { dataset partitions }
                    featureSet { name version entityKeys timestampColumn output } } }
                  errors { code message } } }""";
        // a feature the feature set does not compute is refused, naming it; nothing is recorded
        graphQl(TESTER_TOKEN).document(definition).variable("features", List.of("spend_1d", "spend_7d")).execute()
                .path("registerPipeline.errors[0].code").entity(String.class).isEqualTo("INVALID_INPUT")
                .path("registerPipeline.errors[0].message").entity(String.class).isEqualTo("feature set 'pfs-spend' "
                        + "version 1 computes no feature spend_7d (its features: spend_1d, avg_amount)");
        graphQl(AUDITOR_TOKEN).document("{ pipeline(name: \"pfs-churn\") { version } }").execute()
                .path("pipeline").valueIsNull();
        Map<String, Object> registered = graphQl(TESTER_TOKEN).document(definition)
                .variable("features", List.of("spend_1d", "avg_amount")).execute().path("registerPipeline")
                .entity(Map.class).get();
        assertThat((List<Object>) registered.get("errors")).isEmpty();
        assertThat((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) registered.get("pipeline"))
                .get("definition")).get("featureSet")).containsEntry("name", "pfs-spend").containsEntry("version", null)
                .containsEntry("output", "pfs-sets").containsEntry("entityKeys", List.of("uid"));

        // new labels in the train partition start a run: it materialises both sets, trains on one, evaluates on the other
        String labels = batch("pfs-labels", "train", spendLabels(events, 0, 100, 23));
        Map<String, Object> run = awaitPipelineRun("pfs-churn#1", "PROMOTED");
        assertThat((List<Map<String, Object>>) run.get("steps")).extracting(s -> s.get("step") + "=" + s.get("status"))
                .containsExactly("MATERIALIZE=SUCCEEDED", "TRAIN=SUCCEEDED", "EVALUATE=SUCCEEDED", "GATE=SUCCEEDED",
                        "DEPLOY=SUCCEEDED", "OBSERVE=SKIPPED");
        assertThat((List<Object>) run.get("batches")).containsExactly(Map.of("batchId", labels));
        assertThat(run.get("heldOut")).isEqualTo(Map.of("batchId", heldOut));
        assertThat(metric(run, "candidateMetrics", "auc")).as("spend_1d decides the label").isGreaterThan(0.9);

        Map<String, Object> detail = graphQl(AUDITOR_TOKEN).document("""
                        { pipelineRun(id: "pfs-churn#1") { featureSetVersion
                          trainingSets { purpose trainingSetId batch { dataset batchId rows } } } }""")
                .execute().path("pipelineRun").entity(Map.class).get();
        assertThat(detail).containsEntry("featureSetVersion", 1);
        assertThat((List<Map<String, Object>>) detail.get("trainingSets")).extracting(t -> t.get("purpose") + " "
                + t.get("trainingSetId") + " " + t.get("batch")).containsExactly(
                "TRAINING pipeline.pfs-churn.1.training {dataset=pfs-sets, batchId=pipeline.pfs-churn.1.training, "
                        + "rows=200}",
                "HELD_OUT pipeline.pfs-churn.1.held-out {dataset=pfs-sets, batchId=pipeline.pfs-churn.1.held-out, "
                        + "rows=100}");
        // the training run read the training set; the sets were asked for by the pipeline's own principal
        graphQl(AUDITOR_TOKEN).document("""
                        { trainingRun(id: "pipeline.pfs-churn.1") { trainingSet { trainingSetId featureSet version
                          requestedBy labelBatches { batchId } } } }""").execute()
                .path("trainingRun.trainingSet.trainingSetId").entity(String.class)
                .isEqualTo("pipeline.pfs-churn.1.training")
                .path("trainingRun.trainingSet.version").entity(Integer.class).isEqualTo(1)
                .path("trainingRun.trainingSet.requestedBy").entity(String.class).isEqualTo("service:pipeline/pfs-churn")
                .path("trainingRun.trainingSet.labelBatches[*].batchId").entityList(String.class).containsExactly(labels);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(aliasOf("pfs-risk")).isEqualTo(1));
        // the training set's batch names the run among its impact
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(graphQl(AUDITOR_TOKEN).document("""
                        { batchImpact(batchId: "pipeline.pfs-churn.1.held-out") { pipelineRuns { edges { node { id } } } } }""")
                .execute().path("batchImpact.pipelineRuns.edges[*].node.id").entityList(String.class).get())
                .containsExactly("pfs-churn#1"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenABadBatchPromoted_whenThePartitionIsRepointed_thenTheRetrainedModelHasTheEarlierQualityAgain() {
        dataset("pl-events");
        batch("pl-events", "holdout", rows(400, 11, true));
        assertThat((List<Object>) register("pl-restore", "pl-events", "pl-restored", "[]", null).get("errors"))
                .isEmpty();
        String good = batch("pl-events", "train", rows(300, 12, true));
        double goodAuc = metric(awaitPipelineRun("pl-restore#1", "PROMOTED"), "candidateMetrics", "auc");
        String bad = batch("pl-events", "train", rows(300, 13, false));
        double badAuc = metric(awaitPipelineRun("pl-restore#2", "PROMOTED"), "candidateMetrics", "auc"); // no rules
        assertThat(badAuc).isLessThan(goodAuc - 0.3);

        graphQl(TESTER_TOKEN).document("""
                        mutation($b: ID!) { repointPartition(input: {dataset: "pl-events", partition: "train",
                          batchId: $b, reason: "labels were inverted"}) { errors { message } } }""")
                .variable("b", good).execute().path("repointPartition.errors").entityList(Object.class).hasSize(0);

        Map<String, Object> restored = awaitPipelineRun("pl-restore#3", "PROMOTED");
        assertThat((List<Map<String, Object>>) restored.get("causes")).singleElement().satisfies(c ->
                assertThat(c).containsEntry("kind", "REPOINT").containsEntry("batchId", good));
        assertThat((List<Object>) restored.get("batches")).containsExactly(Map.of("batchId", good));
        assertThat(metric(restored, "candidateMetrics", "auc")).isCloseTo(goodAuc, org.assertj.core.data.Offset
                .offset(0.05)).isGreaterThan(badAuc + 0.3);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(aliasOf("pl-restored")).isEqualTo(3));
        // the bad batch's impact names the run it caused; the good one's, the runs that read it
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(graphQl(AUDITOR_TOKEN).document("""
                            query($b: ID!) { batchImpact(batchId: $b) { pipelineRuns { edges { node { id } } } } }""")
                    .variable("b", bad).execute().path("batchImpact.pipelineRuns.edges[*].node.id")
                    .entityList(String.class).get()).containsExactly("pl-restore#2");
            assertThat(graphQl(AUDITOR_TOKEN).document("""
                            query($b: ID!) { batchImpact(batchId: $b) { pipelineRuns { edges { node { id } } } } }""")
                    .variable("b", good).execute().path("batchImpact.pipelineRuns.edges[*].node.id")
                    .entityList(String.class).get()).containsExactly("pl-restore#3", "pl-restore#1");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenWrongDefinitionsAndAPausedPipeline_thenTypedErrorsAndNothingRuns() {
        dataset("pl-misc");
        Map<String, Object> noColumn = graphQl(TESTER_TOKEN).document("""
                        mutation { registerPipeline(input: {name: "pl-wrong", model: "m",
                          trainingSpec: {task: BINARY_CLASSIFICATION, features: ["income"], label: "label"},
                          inputs: [{dataset: "pl-misc"}]}) { pipeline { name } errors { code message } } }""")
                .execute().path("registerPipeline").entity(Map.class).get();
        assertThat((List<Map<String, Object>>) noColumn.get("errors")).singleElement().satisfies(e -> assertThat(e)
                .containsEntry("code", "INVALID_INPUT")
                .containsEntry("message", "dataset 'pl-misc' has no column income (its columns: x, label)"));
        Map<String, Object> gateWithoutHeldOut = graphQl(TESTER_TOKEN).document("""
                        mutation { registerPipeline(input: {name: "pl-wrong", model: "m",
                          trainingSpec: {task: BINARY_CLASSIFICATION, features: ["x"], label: "label"},
                          inputs: [{dataset: "pl-misc", partitions: ["holdout"]}],
                          gate: {heldOut: {dataset: "pl-misc", partition: "holdout"}, rules: []}}) {
                          errors { code message } } }""").execute().path("registerPipeline").entity(Map.class).get();
        assertThat((List<Map<String, Object>>) gateWithoutHeldOut.get("errors")).singleElement()
                .satisfies(e -> assertThat((String) e.get("message")).contains("must not be trained on"));
        graphQl(AUDITOR_TOKEN).document("{ pipeline(name: \"pl-wrong\") { name } }").execute()
                .path("pipeline").valueIsNull();

        assertThat((List<Object>) register("pl-paused", "pl-misc", "pl-paused-model", "[]", null).get("errors"))
                .isEmpty();
        // triggered with no held-out batch yet: the run starts and fails at once, with the reason
        graphQl(TESTER_TOKEN).document("""
                        mutation { triggerPipeline(input: {pipeline: "pl-paused"}) { run { status reason } } }""")
                .execute().path("triggerPipeline.run.status").entity(String.class).isEqualTo("FAILED")
                .path("triggerPipeline.run.reason").entity(String.class)
                .isEqualTo("nothing to read in partition 'train' of dataset 'pl-misc', held-out partition 'holdout' "
                        + "of dataset 'pl-misc'");
        batch("pl-misc", "holdout", rows(200, 20, true));
        graphQl(TESTER_TOKEN).document("""
                        mutation { pausePipeline(input: {pipeline: "pl-paused", reason: "upstream outage"}) {
                          pipeline { paused pauseReason } errors { message } } }""").execute()
                .path("pausePipeline.pipeline.paused").entity(Boolean.class).isEqualTo(true);
        graphQl(TESTER_TOKEN).document("""
                        mutation { triggerPipeline(input: {pipeline: "pl-paused"}) { run { id } errors { code message } } }""")
                .execute().path("triggerPipeline.errors[0].code").entity(String.class).isEqualTo("CONFLICT")
                .path("triggerPipeline.errors[0].message").entity(String.class)
                .isEqualTo("pipeline 'pl-paused' is paused (upstream outage): resume it to run it");
        String batch = batch("pl-misc", "train", rows(200, 21, true));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl(AUDITOR_TOKEN).document("""
                        { pipeline(name: "pl-paused") { queued { kind batchId } runs { id } } }""").execute()
                .path("pipeline.queued[0].batchId").entity(String.class).isEqualTo(batch)
                .path("pipeline.runs").entityList(Object.class).hasSize(1));
        // resumed: the kept trigger starts one run
        graphQl(TESTER_TOKEN).document("""
                        mutation { resumePipeline(input: {pipeline: "pl-paused"}) { pipeline { paused
                          runs { id causes { kind batchId } } } errors { message } } }""").execute()
                .path("resumePipeline.pipeline.paused").entity(Boolean.class).isEqualTo(false)
                .path("resumePipeline.pipeline.runs[0].id").entity(String.class).isEqualTo("pl-paused#2")
                .path("resumePipeline.pipeline.runs[0].causes[0].batchId").entity(String.class).isEqualTo(batch);
        awaitPipelineRun("pl-paused#2", "PROMOTED");
    }

    @Autowired
    org.springframework.context.ApplicationContext context;

    /**
     * The clock stopped (as when the platform is down) while ticks of an every-two-seconds schedule fall: when it runs
     * again, the latest tick runs once and the others are counted as missed; no tick is ever considered twice.
     */
    @Test
    @SuppressWarnings("unchecked")
    void givenTicksThatFellWhileTheClockWasStopped_whenItRunsAgain_thenTheLatestRunsOnce() {
        dataset("pl-clocked");
        batch("pl-clocked", "holdout", rows(200, 31, true));
        batch("pl-clocked", "train", rows(200, 32, true));
        PipelineClock clock = context.getBean(PipelineClock.class);
        clock.stop();
        try {
            Map<String, Object> registered = graphQl(TESTER_TOKEN).document("""
                            mutation { registerPipeline(input: {name: "pl-clock", model: "pl-clocked-model",
                              trainingSpec: {task: BINARY_CLASSIFICATION, features: ["x"], label: "label",
                                hyperparameters: {epochs: 1, hiddenUnits: [2]}},
                              inputs: [{dataset: "pl-clocked", partitions: ["train"]}],
                              trigger: {schedule: {cron: "*/2 * * * * *"}}}) {
                              pipeline { lastTick nextTick definition { trigger { schedule { cron zone missed } } } }
                              errors { message } } }""").execute().path("registerPipeline").entity(Map.class).get();
            assertThat((List<Object>) registered.get("errors")).isEmpty();
            Map<String, Object> pipeline = (Map<String, Object>) registered.get("pipeline");
            Instant given = Instant.parse((String) pipeline.get("lastTick"));
            assertThat(Instant.parse((String) pipeline.get("nextTick"))).isAfter(given)
                    .isBeforeOrEqualTo(given.plusSeconds(2));
            assertThat(pipeline.toString()).contains("cron=*/2 * * * * *, zone=UTC, missed=RUN_ONCE");
            // at least three ticks fall while no clock runs
            await().atMost(Duration.ofSeconds(20)).until(() -> Instant.now().isAfter(given.plusSeconds(7)));
            graphQl(AUDITOR_TOKEN).document("{ pipeline(name: \"pl-clock\") { runs { id } } }").execute()
                    .path("pipeline.runs").entityList(Object.class).hasSize(0);
        } finally {
            clock.start();
        }
        Map<String, Object> run = awaitPipelineRun("pl-clock#1", "PROMOTED");
        assertThat((List<Map<String, Object>>) run.get("causes")).singleElement().satisfies(cause -> {
            assertThat(cause).containsEntry("kind", "SCHEDULE");
            assertThat((String) cause.get("note")).matches("[1-9][0-9]* earlier ticks? missed");
        });
        assertThat(run).containsEntry("startedBy", "service:pipeline/pl-clock");
        // no more ticks: the schedule is taken away (a new version)
        graphQl(TESTER_TOKEN).document("""
                        mutation { registerPipeline(input: {name: "pl-clock", model: "pl-clocked-model",
                          trainingSpec: {task: BINARY_CLASSIFICATION, features: ["x"], label: "label",
                            hyperparameters: {epochs: 1, hiddenUnits: [2]}},
                          inputs: [{dataset: "pl-clocked", partitions: ["train"]}]}) { version errors { message } } }""")
                .execute().path("registerPipeline.version").entity(Integer.class).isEqualTo(2);
        // every tick considered once
        List<String> ticks = jdbc.queryForList("select convert_from(payload, 'UTF8') from domainevententry "
                + "where aggregateidentifier = 'pipeline:pl-clock' and payloadtype like '%ScheduleTicked%'",
                String.class).stream().map(json -> json.replaceAll(".*\"tick\":\"?([^\",]+).*", "$1")).toList();
        assertThat(ticks).isNotEmpty().doesNotHaveDuplicates();
    }

    /** Batches that come in a row, closer together than the quiet period, start one run that names them all. */
    @Test
    @SuppressWarnings("unchecked")
    void givenAQuietPeriod_whenThreeBatchesComeInARow_thenOneRunStartsForAllOfThem() {
        dataset("pl-burst");
        batch("pl-burst", "holdout", rows(200, 41, true));
        graphQl(TESTER_TOKEN).document("""
                        mutation { registerPipeline(input: {name: "pl-debounced", model: "pl-burst-model",
                          trainingSpec: {task: BINARY_CLASSIFICATION, features: ["x"], label: "label",
                            hyperparameters: {epochs: 1, hiddenUnits: [2]}},
                          inputs: [{dataset: "pl-burst", partitions: ["a", "b", "c"]}],
                          trigger: {onNewBatch: true, quietPeriod: "PT3S"}}) {
                          pipeline { definition { trigger { quietPeriod } } } errors { message } } }""").execute()
                .path("registerPipeline.pipeline.definition.trigger.quietPeriod").entity(String.class)
                .isEqualTo("PT3S");
        List<String> batches = List.of(batch("pl-burst", "a", rows(100, 42, true)),
                batch("pl-burst", "b", rows(100, 43, true)), batch("pl-burst", "c", rows(100, 44, true)));
        graphQl(AUDITOR_TOKEN).document("{ pipeline(name: \"pl-debounced\") { runs { id } } }").execute()
                .path("pipeline.runs").entityList(Object.class).hasSize(0);
        Map<String, Object> run = awaitPipelineRun("pl-debounced#1", "PROMOTED");
        assertThat((List<Map<String, Object>>) run.get("causes")).extracting(c -> c.get("batchId"))
                .containsExactlyElementsOf(batches);
        assertThat((List<Map<String, Object>>) run.get("batches")).hasSize(3);
        graphQl(AUDITOR_TOKEN).document("{ pipeline(name: \"pl-debounced\") { runs { id } queued { batchId } } }")
                .execute().path("pipeline.runs").entityList(Object.class).hasSize(1)
                .path("pipeline.queued").entityList(Object.class).hasSize(0);
    }

    @Autowired
    io.annals.workers.port.CommandPort commands;

    @Test
    @SuppressWarnings("unchecked")
    void givenAnEndpointWatchingItsErrorRate_whenTheCanaryFailsItsRequests_thenTheRunRollsBackOnTheErrorRateAlert()
            throws Exception {
        graphQl(TESTER_TOKEN).document("""
                        mutation { registerDataset(input: {name: "pl-errors", columns: [{name: "x", type: DOUBLE},
                          {name: "z", type: DOUBLE}, {name: "label", type: LONG}]}) { errors { message } } }""")
                .execute().path("registerDataset.errors").entityList(Object.class).hasSize(0);
        StringBuilder csv = new StringBuilder("x,z,label\n");
        Random r = new Random(61);
        for (int i = 0; i < 200; i++) {
            double x = r.nextGaussian();
            csv.append(x).append(',').append(r.nextGaussian()).append(',').append(x > 0 ? 1 : 0).append('\n');
        }
        batch("pl-errors", "train", csv.toString());
        String definition = """
                mutation($f: [String!]!) { registerPipeline(input: {name: "pl-erring", model: "pl-erring-model",
                  trainingSpec: {task: BINARY_CLASSIFICATION, features: $f, label: "label",
                    hyperparameters: {epochs: 1, hiddenUnits: [2]}},
                  inputs: [{dataset: "pl-errors", partitions: ["train"]}],
                  deployment: {endpoint: "pl-errors-ep", canaryPercent: 50, observation: "PT5M"}}) {
                  version errors { message } } }""";
        graphQl(TESTER_TOKEN).document(definition).variable("f", List.of("x")).execute()
                .path("registerPipeline.version").entity(Integer.class).isEqualTo(1);
        trigger("pl-erring");
        awaitPipelineRun("pl-erring#1", "PROMOTED"); // no champion: version 1 serves everything
        graphQl(TESTER_TOKEN).document("""
                        mutation { configureDriftMonitor(input: {endpoint: "pl-errors-ep", psiThreshold: 0.2,
                          windowSize: 50, windowSeconds: 600, maxErrorRate: 0.2}) {
                          endpoint { driftMonitor { maxErrorRate criticalErrorRate } } errors { message } } }""")
                .execute().path("configureDriftMonitor.endpoint.driftMonitor.maxErrorRate").entity(Double.class)
                .isEqualTo(0.2)
                .path("configureDriftMonitor.endpoint.driftMonitor.criticalErrorRate").entity(Double.class)
                .isEqualTo(0.4);

        // version 2 of the definition needs a feature the endpoint's clients do not send yet: its canary fails them
        graphQl(TESTER_TOKEN).document(definition).variable("f", List.of("x", "z")).execute()
                .path("registerPipeline.version").entity(Integer.class).isEqualTo(2);
        trigger("pl-erring");
        awaitObserving("pl-erring#2");
        int[] sent = {0};
        int[] refused = {0};
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (int i = 0; i < 20; i++) {
                var response = postJson("/v1/endpoints/pl-errors-ep/predict", TESTER_TOKEN,
                        "{\"rows\": [{\"x\": " + (i % 7 - 3) * 0.5 + "}], \"routingKey\": \"client-" + sent[0]
                                + "\"}");
                sent[0]++;
                refused[0] += response.statusCode() == 400 ? 1 : 0;
            }
            assertThat(graphQl(AUDITOR_TOKEN).document("{ pipelineRun(id: \"pl-erring#2\") { status } }")
                    .execute().path("pipelineRun.status").entity(String.class).get()).isEqualTo("ROLLED_BACK");
        });
        assertThat(refused[0]).as("the canary's share of %s requests failed", sent[0]).isGreaterThan(0)
                .isLessThan(sent[0]);
        Map<String, Object> run = awaitPipelineRun("pl-erring#2", "ROLLED_BACK");
        assertThat((String) run.get("reason")).startsWith("drift alert pl-errors-ep~pl-erring-model~v2~f:(errors)#1 "
                + "against version 2 while it served as a canary");
        awaitTargets("pl-errors-ep", t -> assertThat(t).containsExactly("v1=100"));
        // the alert is the error rate's own (version 1 may drift too: these requests are nothing like its training)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(graphQl(AUDITOR_TOKEN).document("""
                        { driftAlerts(endpoint: "pl-errors-ep") { edges { node { version severity test feature
                          statistic threshold histogram { bins live } } } } }""").execute()
                .path("driftAlerts.edges[*].node").entityList(Map.class).get())
                .filteredOn(alert -> "ERROR_RATE".equals(alert.get("test"))).singleElement().satisfies(alert ->
                        assertThat(alert).containsEntry("version", 2).containsEntry("severity", "CRITICAL")
                                .containsEntry("feature", "(errors)").containsEntry("statistic", 1.0)
                                .containsEntry("threshold", 0.2).containsEntry("histogram", Map.of(
                                        "bins", List.of("served", "failed"), "live", List.of(0.0, 1.0)))));
    }

    private String canaryPipeline(String observation) {
        return graphQl(TESTER_TOKEN).document("""
                        mutation($o: String!) { registerPipeline(input: {name: "pl-canaried", model: "pl-canary-model",
                          trainingSpec: {task: BINARY_CLASSIFICATION, features: ["x"], label: "label",
                            hyperparameters: {epochs: 1, hiddenUnits: [2]}},
                          inputs: [{dataset: "pl-canary", partitions: ["train"]}],
                          deployment: {endpoint: "pl-canary-ep", canaryPercent: 25, observation: $o}}) {
                          pipeline { definition { deployment { canaryPercent observation } } } errors { message } } }""")
                .variable("o", observation).execute()
                .path("registerPipeline.pipeline.definition.deployment.observation").entity(String.class).get();
    }

    private void trigger(String pipeline) {
        graphQl(TESTER_TOKEN).document("""
                        mutation($p: String!) { triggerPipeline(input: {pipeline: $p}) { errors { message } } }""")
                .variable("p", pipeline).execute().path("triggerPipeline.errors").entityList(Object.class).hasSize(0);
    }

    private void awaitObserving(String id) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                graphQl(AUDITOR_TOKEN).document("query($id: ID!) { pipelineRun(id: $id) { step status } }")
                        .variable("id", id).execute().path("pipelineRun.step").entity(String.class).isEqualTo("OBSERVE")
                        .path("pipelineRun.status").entity(String.class).isEqualTo("RUNNING"));
    }

    /** The endpoint's read model follows the record a moment later: its targets are awaited. */
    private void awaitTargets(java.util.function.Consumer<List<String>> check) {
        awaitTargets("pl-canary-ep", check);
    }

    private void awaitTargets(String endpoint, java.util.function.Consumer<List<String>> check) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                check.accept(targets(endpoint)));
    }

    @SuppressWarnings("unchecked")
    private List<String> targets(String endpoint) {
        return ((List<Map<String, Object>>) endpointServesWithShares(endpoint).get("targets")).stream()
                .map(t -> "v" + t.get("version") + "=" + t.get("trafficPercent")).toList();
    }

    private Map<String, Object> endpointServesWithShares(String endpoint) {
        return graphQl(AUDITOR_TOKEN).document("""
                        query($e: String!) { endpoint(name: $e) { targets { version trafficPercent } } }""")
                .variable("e", endpoint).execute().path("endpoint").entity(Map.class).get();
    }

    /**
     * A candidate with a champion to fall back on serves a canary's share first: it is promoted after a quiet
     * observation, and rolled back (endpoint and alias) when a drift alert is raised against it meanwhile.
     */
    @Test
    @SuppressWarnings("unchecked")
    void givenACanaryShare_thenACleanObservationPromotes_andADriftAlertRollsBack() {
        dataset("pl-canary");
        batch("pl-canary", "train", rows(200, 51, true));
        assertThat(canaryPipeline("PT6S")).isEqualTo("PT6S");

        trigger("pl-canaried"); // no champion yet: it serves at once
        Map<String, Object> first = awaitPipelineRun("pl-canaried#1", "PROMOTED");
        assertThat((List<Map<String, Object>>) first.get("steps")).extracting(s -> s.get("step") + "=" + s.get("status"))
                .containsExactly("MATERIALIZE=SKIPPED", "TRAIN=SUCCEEDED", "EVALUATE=SKIPPED", "GATE=SUCCEEDED",
                        "DEPLOY=SUCCEEDED", "OBSERVE=SKIPPED");
        awaitTargets(t -> assertThat(t).containsExactly("v1=100"));

        trigger("pl-canaried"); // a canary of 25%, watched for 6 s, then everything
        awaitObserving("pl-canaried#2");
        awaitTargets(t -> assertThat(t).containsExactlyInAnyOrder("v1=75", "v2=25"));
        Map<String, Object> second = awaitPipelineRun("pl-canaried#2", "PROMOTED");
        assertThat((List<Map<String, Object>>) second.get("steps")).extracting(s -> s.get("step") + "=" + s.get("status"))
                .containsExactly("MATERIALIZE=SKIPPED", "TRAIN=SUCCEEDED", "EVALUATE=SKIPPED", "GATE=SUCCEEDED",
                        "DEPLOY=SUCCEEDED", "OBSERVE=SUCCEEDED");
        awaitTargets(t -> assertThat(t).containsExactly("v2=100"));

        assertThat(canaryPipeline("PT2M")).isEqualTo("PT2M"); // long enough to raise an alert meanwhile
        trigger("pl-canaried");
        awaitObserving("pl-canaried#3");
        awaitTargets(t -> assertThat(t).containsExactlyInAnyOrder("v2=75", "v3=25"));
        commands.send(new io.annals.command.api.drift.RaiseDriftAlert(io.annals.command.api.drift.DriftAlertId
                        .forTarget(io.annals.command.api.endpoint.EndpointName.of("pl-canary-ep"),
                                io.annals.command.api.model.ModelName.of("pl-canary-model"), 3),
                        io.annals.command.api.endpoint.EndpointName.of("pl-canary-ep"),
                        io.annals.command.api.model.ModelName.of("pl-canary-model"), 3, 0.6, 0.2, 100, Instant.now()),
                io.annals.command.api.common.Actor.service("drift-monitor"), null);
        Map<String, Object> third = awaitPipelineRun("pl-canaried#3", "ROLLED_BACK");
        assertThat(third).containsEntry("step", "OBSERVE").containsEntry("champion", 2);
        assertThat((String) third.get("reason")).startsWith("drift alert pl-canary-ep~pl-canary-model~v3#1 against "
                + "version 3 while it served as a canary");
        awaitTargets(t -> assertThat(t).containsExactly("v2=100"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(aliasOf("pl-canary-model")).isEqualTo(2));
    }

    @Autowired
    software.amazon.awssdk.services.s3.S3Client s3;

    @org.springframework.beans.factory.annotation.Value("${annals.s3.bucket}")
    String bucket;

    /** A run that failed at training (its batch was damaged in storage) is retried from that step once it is mended. */
    @Test
    @SuppressWarnings("unchecked")
    void givenARunFailedAtTraining_whenTheCauseIsMendedAndItIsRetried_thenItGoesOnFromThatStep() {
        dataset("pl-fragile");
        String original = rows(200, 61, true);
        String batchId = batch("pl-fragile", "train", original);
        String location = graphQl(AUDITOR_TOKEN).document("query($b: ID!) { batchImpact(batchId: $b) { batch { location } } }")
                .variable("b", batchId).execute().path("batchImpact.batch.location").entity(String.class).get();
        String key = location.substring(("s3://" + bucket + "/").length());
        s3.putObject(b -> b.bucket(bucket).key(key), software.amazon.awssdk.core.sync.RequestBody.fromString(
                rows(200, 62, true))); // the stored bytes no longer match the recorded digest
        graphQl(TESTER_TOKEN).document("""
                        mutation { registerPipeline(input: {name: "pl-retried", model: "pl-fragile-model",
                          trainingSpec: {task: BINARY_CLASSIFICATION, features: ["x"], label: "label",
                            hyperparameters: {epochs: 1, hiddenUnits: [2]}},
                          inputs: [{dataset: "pl-fragile", partitions: ["train"]}]}) { errors { message } } }""")
                .execute().path("registerPipeline.errors").entityList(Object.class).hasSize(0);
        trigger("pl-retried");
        Map<String, Object> failed = awaitPipelineRun("pl-retried#1", "FAILED");
        assertThat(failed).containsEntry("step", "TRAIN");
        assertThat((String) failed.get("reason")).contains("SHA-256 of " + location);

        s3.putObject(b -> b.bucket(bucket).key(key), software.amazon.awssdk.core.sync.RequestBody.fromString(original));
        graphQl(TESTER_TOKEN).document("""
                        mutation { retryPipelineRun(input: {run: "pl-retried#1"}) { attempt
                          run { status step attempt trainingRunId } errors { code message } } }""").execute()
                .path("retryPipelineRun.attempt").entity(Integer.class).isEqualTo(2)
                .path("retryPipelineRun.run.status").entity(String.class).isEqualTo("RUNNING")
                .path("retryPipelineRun.run.trainingRunId").entity(String.class).isEqualTo("pipeline.pl-retried.1.r2");
        Map<String, Object> retried = awaitPipelineRun("pl-retried#1", "PROMOTED");
        assertThat(retried).containsEntry("candidate", 1).containsEntry("reason", null);
        // a promoted run is not retried
        graphQl(TESTER_TOKEN).document("""
                        mutation { retryPipelineRun(input: {run: "pl-retried#1"}) { errors { code message } } }""")
                .execute().path("retryPipelineRun.errors[0].code").entity(String.class).isEqualTo("CONFLICT");
    }

    /** With SUPERSEDE, a trigger while a run is still training ends it and starts anew. */
    @Test
    @SuppressWarnings("unchecked")
    void givenSupersede_whenTriggeredWhileTraining_thenTheRunIsSupersededAndTheNewOneFinishes() {
        dataset("pl-latest");
        batch("pl-latest", "train", rows(2000, 71, true));
        graphQl(TESTER_TOKEN).document("""
                        mutation { registerPipeline(input: {name: "pl-superseding", model: "pl-latest-model",
                          trainingSpec: {task: BINARY_CLASSIFICATION, features: ["x"], label: "label",
                            hyperparameters: {epochs: 30, hiddenUnits: [8]}},
                          inputs: [{dataset: "pl-latest"}], trigger: {whenBusy: SUPERSEDE}}) {
                          pipeline { definition { trigger { whenBusy } } } errors { message } } }""").execute()
                .path("registerPipeline.pipeline.definition.trigger.whenBusy").entity(String.class)
                .isEqualTo("SUPERSEDE");
        trigger("pl-superseding");
        trigger("pl-superseding");
        Map<String, Object> first = awaitPipelineRun("pl-superseding#1", "SUPERSEDED");
        assertThat(first).containsEntry("step", "TRAIN")
                .containsEntry("reason", "superseded by a newer trigger (manual)");
        awaitPipelineRun("pl-superseding#2", "PROMOTED");
    }
}
