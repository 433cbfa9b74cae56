package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.app.demo.AnnalsDemo;
import io.annals.app.demo.GraphQlClient;
import io.annals.command.api.common.EventTypes;
import io.annals.command.api.common.KafkaTopics;
import io.annals.query.audit.AuditProjection;
import io.annals.query.elastic.Documents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The demo's flow, through GraphQL and HTTP only, against the real embedded stack. */
class LifecycleEndToEndTest extends PlatformTestSupport {

    @Autowired
    Documents documents;

    @Test
    @SuppressWarnings("unchecked")
    void givenTheRunningPlatform_whenTheDemoRuns_thenEveryStepOfTheLifecycleHappensAndIsRecorded() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        AnnalsDemo.Report report;
        try (LogCapture logs = LogCapture.start()) {
            report = new AnnalsDemo(new GraphQlClient(baseUrl(), TESTER_TOKEN),
                    new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
            // the demo's refusals, subscriptions closing and drift alerts are expected: none logs a stack trace
            assertThat(logs.withStackTraces()).as("log lines with a stack trace during the demo").isEmpty();
        }
        String transcript = printed.toString(StandardCharsets.UTF_8);

        // the model beats trivial baselines on held-out data
        assertThat(report.servedAuc()).as("AUC on held-out rows").isGreaterThan(0.9);
        assertThat(report.servedAccuracy()).isGreaterThan(report.majorityAccuracy() + 0.2);
        assertThat(transcript).contains("epoch 6/6");

        // the alert arrived on the subscription, and after rollback the earlier version answers
        assertThat(report.alertId()).endsWith("~v2");
        assertThat(report.alertPsi()).isGreaterThan(0.2);
        assertThat(report.rollbackRevision()).isEqualTo(3);
        assertThat(report.versionAfterRollback()).isEqualTo(1);

        // three segments, the largest about a third of customers: the served model must place far more than that
        assertThat(report.segments().classes()).containsExactly("near-prime", "prime", "subprime");
        assertThat(report.segments().servedAccuracy()).as("held-out customers placed right").isGreaterThan(0.75);
        assertThat(report.segments().macroF1()).isGreaterThan(0.7);

        // a data scientist's token may not roll back the endpoint
        assertThat(report.accessRefusal()).startsWith("user:scientist-")
                .endsWith(" lacks permission endpoint:deploy on endpoint:" + report.endpoint());
        assertThat(transcript).contains("rollBackEndpoint as user:scientist-").contains("-> FORBIDDEN");

        // the feature-set story: one training-set row per label row, and the endpoint traced to the raw batches
        AnnalsDemo.FeatureStory features = report.features();
        assertThat(features.trainingSetRows()).isEqualTo(3000);
        assertThat(features.sourceBatches()).hasSize(2);
        assertThat(transcript).contains("<- feature set " + features.featureSet() + " version 1 over dataset "
                + "transactions-");

        // the demo ends with a pipeline that retrained on the day-3 upload and promoted the result through its gate
        AnnalsDemo.PipelineStory pipeline = report.pipeline();
        assertThat(pipeline.status()).isEqualTo("PROMOTED");
        assertThat(pipeline.candidate()).isEqualTo(1);
        assertThat(pipeline.candidateAuc()).as("AUC on the held-out day").isGreaterThan(0.9);
        assertThat(pipeline.revision()).isEqualTo(1);
        assertThat(transcript).contains("the upload of " + pipeline.triggeringBatch() + " triggered run "
                + pipeline.runId() + " (NEW_BATCH): PROMOTED");

        // "what data trained the model serving now?" and "what did this batch touch?"
        graphQl(AUDITOR_TOKEN).document("""
                        query($e: String!) { endpoint(name: $e) { servingLineage { modelVersion { version }
                          batches { batchId } } } }""")
                .variable("e", report.endpoint()).execute()
                .path("endpoint.servingLineage.modelVersion.version").entity(Integer.class).isEqualTo(1)
                .path("endpoint.servingLineage.batches[*].batchId").entityList(String.class)
                .containsExactly(report.batchIds().get(0));
        Map<String, Object> impact = graphQl(AUDITOR_TOKEN).document("""
                        query($b: ID!) { batchImpact(batchId: $b) { runs { runId } modelVersions { version }
                          endpoints { endpoint servingNow revisions } } }""")
                .variable("b", report.batchIds().get(1)).execute().path("batchImpact").entity(Map.class).get();
        assertThat(impact.toString()).contains("runId=" + report.runIds().get(1))
                .doesNotContain("runId=" + report.runIds().get(0));
        assertThat((List<Object>) impact.get("endpoints")).containsExactly((Object) Map.of("endpoint",
                report.endpoint(), "servingNow", false, "revisions", List.of(2)));
        // fields kept only in a run's document, and the epochs that lists leave out, come when asked for
        graphQl(AUDITOR_TOKEN).document("""
                        query($b: ID!) { batchImpact(batchId: $b) { runs { runId status hyperparameters { epochs }
                          epochs { epoch } } modelVersions { version task metrics { name } } } }""")
                .variable("b", report.batchIds().get(1)).execute()
                .path("batchImpact.runs[0].status").entity(String.class).isEqualTo("COMPLETED")
                .path("batchImpact.runs[0].hyperparameters.epochs").entity(Integer.class).isEqualTo(6)
                .path("batchImpact.runs[0].epochs[*].epoch").entityList(Integer.class)
                .containsExactly(1, 2, 3, 4, 5, 6)
                .path("batchImpact.modelVersions[0].task").entity(String.class).isEqualTo("BINARY_CLASSIFICATION")
                .path("batchImpact.modelVersions[0].metrics").entityList(Object.class).hasSizeGreaterThan(0);
        // fields that all have doc values are read from them, not from the stored documents
        graphQl(AUDITOR_TOKEN).document("""
                        query($b: ID!) { batchImpact(batchId: $b) { modelVersions { model version task } } }""")
                .variable("b", report.batchIds().get(1)).execute()
                .path("batchImpact.modelVersions[0].model").entity(String.class).isEqualTo(report.model())
                .path("batchImpact.modelVersions[0].task").entity(String.class).isEqualTo("BINARY_CLASSIFICATION");

        // bad input was refused with messages that name the problem
        assertThat(report.refusals()).containsExactly(
                "row 2, column 'income': 'lots' is not a DOUBLE",
                "batch missing does not exist in dataset '" + report.dataset() + "'",
                "model '" + report.model() + "' has no version 99");

        // every event is in the store, on Kafka and in the audit index, once each
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            long stored = allStoredEvents();
            assertThat(eventsOnKafka()).as("events on annals.events").isEqualTo(stored);
            assertThat(documents.count(AuditProjection.AUDIT.alias())).as("events in the audit index").isEqualTo(stored);
        });

        // on Kafka: keyed by aggregate, stable wire names with a schema version, and each aggregate in order
        List<KafkaEvent> records = kafkaEvents();
        assertThat(records).allSatisfy(r -> {
            assertThat(EventTypes.typeOf(r.headers().get(KafkaTopics.HEADER_EVENT_TYPE))).isPresent();
            assertThat(r.headers().get(KafkaTopics.HEADER_SCHEMA_VERSION)).isEqualTo("1");
            assertThat(r.key()).isEqualTo(r.headers().get(KafkaTopics.HEADER_AGGREGATE_ID));
            assertThat(r.headers()).containsKeys(KafkaTopics.HEADER_EVENT_ID, KafkaTopics.HEADER_ACTOR,
                    KafkaTopics.HEADER_CORRELATION_ID, KafkaTopics.HEADER_CAUSATION_ID);
        });
        Map<String, List<Long>> sequences = new java.util.HashMap<>();
        records.stream().sorted(java.util.Comparator.comparingLong(KafkaEvent::offset))
                .forEach(r -> sequences.computeIfAbsent(r.key(), k -> new java.util.ArrayList<>())
                        .add(Long.parseLong(r.headers().get(KafkaTopics.HEADER_SEQUENCE))));
        assertThat(sequences.get("endpoint:" + report.endpoint())).containsExactly(0L, 1L, 2L, 3L);
        assertThat(sequences.values()).allSatisfy(seq -> assertThat(seq).isSorted());

        // who did what is the authenticated caller, never request input; workers act as themselves
        Map<String, Object> actors = graphQl(AUDITOR_TOKEN).document("""
                        query($id: String) { auditEvents(filter: {entityId: $id}, first: 100) {
                          edges { node { type actor } } } }""")
                .variable("id", report.endpoint()).execute().path("auditEvents").entity(Map.class).get();
        assertThat(actors.toString()).contains("actor=user:tester").doesNotContain("actor=null");
        List<Map<String, Object>> runEvents = graphQl(AUDITOR_TOKEN).document("""
                        query($id: String) { auditEvents(filter: {entityId: $id}, first: 100) {
                          edges { node { type actor } } } }""")
                .variable("id", report.runIds().get(0)).execute().path("auditEvents.edges[*].node")
                .entityList(Map.class).get().stream().map(m -> (Map<String, Object>) m).toList();
        assertThat(runEvents).extracting(m -> m.get("type")).contains("annals.TrainingRunRequested",
                "annals.TrainingRunClaimed", "annals.TrainingEpochCompleted", "annals.TrainingRunCompleted");
        assertThat(runEvents).filteredOn(m -> m.get("type").equals("annals.TrainingRunCompleted"))
                .extracting(m -> (String) m.get("actor")).allMatch(a -> a.startsWith("service:training-worker/"));
    }
}
