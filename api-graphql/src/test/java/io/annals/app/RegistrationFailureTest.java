package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A completed run that its model refuses never disappears silently: the refusal is an event on the run, shown by
 * GraphQL and in the audit log, with the worker that completed the run as its actor.
 */
class RegistrationFailureTest extends PlatformTestSupport {

    private String request(String batchId, String task) {
        return graphQl(TESTER_TOKEN).document("""
                        mutation($b: ID!, $t: Task!) { requestTrainingRun(input: {model: "mixed-tasks", task: $t,
                          batches: [{dataset: "mixed-data", batchId: $b}], features: ["x"], label: "label",
                          hyperparameters: {epochs: 2, hiddenUnits: [4]}}) { runId errors { message } } }""")
                .variable("b", batchId).variable("t", task).execute()
                .path("requestTrainingRun.errors").entityList(Object.class).hasSize(0)
                .path("requestTrainingRun.runId").entity(String.class).get();
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenTwoRunsOfDifferentTasksForANewModel_whenBothComplete_thenTheSecondRefusalIsRecordedOnItsRun() {
        String batchId = (String) ingest("mixed-data", csv(300, 21)).get("batchId");
        // both are accepted: the model has no version yet when they are requested
        List<String> runs = List.of(request(batchId, "BINARY_CLASSIFICATION"), request(batchId, "REGRESSION"));
        runs.forEach(run -> awaitRun(run, "COMPLETED"));

        Map<String, Map<String, Object>> outcome = new java.util.HashMap<>();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            for (String run : runs) {
                outcome.put(run, graphQl(AUDITOR_TOKEN).document("""
                                query($id: ID!) { trainingRun(id: $id) { task modelVersion registrationFailure } }""")
                        .variable("id", run).execute().path("trainingRun").entity(Map.class).get());
            }
            assertThat(outcome.values()).filteredOn(r -> r.get("modelVersion") != null).hasSize(1);
            assertThat(outcome.values()).filteredOn(r -> r.get("registrationFailure") != null).hasSize(1);
        });
        Map<String, Object> registered = outcome.values().stream().filter(r -> r.get("modelVersion") != null)
                .findFirst().orElseThrow();
        Map.Entry<String, Map<String, Object>> refused = outcome.entrySet().stream()
                .filter(e -> e.getValue().get("registrationFailure") != null).findFirst().orElseThrow();
        assertThat(registered).containsEntry("modelVersion", 1);
        assertThat((String) refused.getValue().get("registrationFailure"))
                .contains("model 'mixed-tasks' holds " + registered.get("task") + " versions")
                .contains("a model's versions must all do the same task");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> events = graphQl(AUDITOR_TOKEN).document("""
                            query($id: String) { auditEvents(filter: {entityKind: "run", entityId: $id,
                              eventType: "annals.ModelRegistrationFailed"}) { edges { node { actor payload } } } }""")
                    .variable("id", refused.getKey()).execute().path("auditEvents.edges[*].node")
                    .entityList(Map.class).get().stream().map(m -> (Map<String, Object>) m).toList();
            assertThat(events).hasSize(1);
            assertThat((String) events.get(0).get("actor")).startsWith("service:training-worker/");
            assertThat((String) events.get(0).get("payload")).contains("same task");
        });

        // and a third run of the refused task is turned away when it is requested, before any training
        String otherTask = "BINARY_CLASSIFICATION".equals(registered.get("task")) ? "REGRESSION"
                : "BINARY_CLASSIFICATION";
        graphQl(TESTER_TOKEN).document("""
                        mutation($b: ID!, $t: Task!) { requestTrainingRun(input: {model: "mixed-tasks", task: $t,
                          batches: [{dataset: "mixed-data", batchId: $b}], features: ["x"], label: "label"}) {
                          runId errors { code message } } }""")
                .variable("b", batchId).variable("t", otherTask).execute()
                .path("requestTrainingRun.runId").valueIsNull()
                .path("requestTrainingRun.errors[0].code").entity(String.class).isEqualTo("INVALID_INPUT");
    }
}
