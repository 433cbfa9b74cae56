package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.app.demo.GraphQlClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A dataset, a model and an endpoint that share one name, as teams name them, through the whole lifecycle: each
 * kind has its own stream in the event log, so none of them reads another's events.
 */
class SharedNamesTest extends PlatformTestSupport {

    private static final String NAME = "loans";

    @Test
    @SuppressWarnings("unchecked")
    void givenADatasetModelAndEndpointNamedAlike_whenTheLifecycleRuns_thenEachKeepsItsOwnHistory() {
        Map<String, Object> batch = ingest(NAME, csv(400, 11));
        String runId = requestRun(NAME, (String) batch.get("batchId"), NAME);
        awaitRun(runId, "COMPLETED");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                graphQl(AUDITOR_TOKEN).document("{ model(name: \"loans\") { latestVersion } }").execute()
                        .path("model.latestVersion").entity(Integer.class).isEqualTo(1));

        graphQl(TESTER_TOKEN).document("""
                        mutation { deployModel(input: {endpoint: "loans", model: "loans", version: 1}) {
                          revision endpoint { currentRevision targets { model version trafficPercent }
                            revisions { kind by } } errors { message } } }""")
                .execute().path("deployModel.errors").entityList(Object.class).hasSize(0)
                .path("deployModel.revision").entity(Integer.class).isEqualTo(1)
                .path("deployModel.endpoint.currentRevision").entity(Integer.class).isEqualTo(1)
                .path("deployModel.endpoint.targets[0].version").entity(Integer.class).isEqualTo(1)
                .path("deployModel.endpoint.revisions[0].kind").entity(String.class).isEqualTo("DEPLOY")
                .path("deployModel.endpoint.revisions[0].by").entity(String.class).isEqualTo("user:tester");
        GraphQlClient client = new GraphQlClient(baseUrl(), TESTER_TOKEN);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            GraphQlClient.Rest r = client.postJson("/v1/endpoints/loans/predict",
                    Map.of("rows", List.of(Map.of("x", 1.5))));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().path("model").asText()).isEqualTo(NAME);
            assertThat(r.body().path("version").asInt()).isEqualTo(1);
        });
        graphQl(AUDITOR_TOKEN).document("{ dataset(name: \"loans\") { name batchCount } }").execute()
                .path("dataset.batchCount").entity(Integer.class).isEqualTo(1);

        // one stream per kind in the store, each starting at sequence 0
        List<String> streams = jdbc.queryForList("select distinct aggregateidentifier from domainevententry "
                + "where aggregateidentifier in ('dataset:loans', 'model:loans', 'endpoint:loans', 'loans')",
                String.class);
        assertThat(streams).containsExactlyInAnyOrder("dataset:loans", "model:loans", "endpoint:loans");
        // on Kafka, each kind's records are keyed by its own stream
        assertThat(kafkaEvents()).extracting(KafkaEvent::key).contains("dataset:loans", "model:loans",
                "endpoint:loans");

        // the audit log tells the kinds apart while the public name stays plain
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> modelEvents = graphQl(AUDITOR_TOKEN).document("""
                            { auditEvents(filter: {entityKind: "model", entityId: "loans"}, first: 50) {
                              edges { node { type entityKind entityId stream } } } }""")
                    .execute().path("auditEvents.edges[*].node").entityList(Map.class).get().stream()
                    .map(m -> (Map<String, Object>) m).toList();
            assertThat(modelEvents).extracting(m -> m.get("type")).containsExactly("annals.ModelVersionRegistered");
            assertThat(modelEvents).allSatisfy(m -> {
                assertThat(m).containsEntry("entityKind", "model").containsEntry("entityId", NAME)
                        .containsEntry("stream", "model:loans");
            });
            List<Object> kinds = graphQl(AUDITOR_TOKEN).document("""
                            { auditEvents(filter: {entityId: "loans"}, first: 50) { edges { node { entityKind } } } }""")
                    .execute().path("auditEvents.edges[*].node.entityKind").entityList(Object.class).get();
            assertThat(kinds).containsOnly("dataset", "model", "endpoint").contains("dataset", "model", "endpoint");
        });
    }

    @Test
    void givenAnUnknownEntityKind_whenAuditIsFiltered_thenTheErrorNamesTheKinds() {
        graphQl(AUDITOR_TOKEN).document("{ auditEvents(filter: {entityKind: \"table\"}) { totalCount } }")
                .execute().errors().expect(e -> e.getMessage() != null
                        && e.getMessage().contains("'table' is not an entity kind; kinds: dataset, run, model, "
                        + "endpoint, alert"))
                .verify();
    }
}
