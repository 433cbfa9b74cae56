package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.app.demo.GraphQlClient;
import io.annals.command.api.common.Actor;
import io.annals.command.api.drift.DriftAlertId;
import io.annals.command.api.drift.RaiseDriftAlert;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.endpoint.RollBackOnDriftAlert;
import io.annals.command.api.model.ModelName;
import io.annals.workers.port.CommandPort;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An endpoint that opted in rolls back by itself when the version deployed last drifts: the rollout guard acts as
 * {@code service:rollout-guard}, the rollback names the alert, the earlier version answers again, and the same alert
 * never rolls it back twice; an alert too weak for the policy is declined on the record.
 */
class AutomaticRollbackTest extends PlatformTestSupport {

    private static final EndpointName ENDPOINT = EndpointName.of("guarded");
    private static final ModelName MODEL = ModelName.of("guarded-model");

    @Autowired
    CommandPort commands;

    private void importVersion(float weight) throws Exception {
        HttpResponse<String> response = OnnxFiles.upload(baseUrl(), TESTER_TOKEN, MODEL.value(),
                OnnxFiles.logistic(new float[] {weight, 0f}, 0f), ModelImportTest.BINARY_SIGNATURE);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private void deploy(int version) {
        graphQl(TESTER_TOKEN).document("""
                        mutation($v: Int!) { deployModel(input: {endpoint: "guarded", model: "guarded-model",
                          version: $v}) { errors { message } } }""")
                .variable("v", version).execute().path("deployModel.errors").entityList(Object.class).hasSize(0);
    }

    private int servedVersion(GraphQlClient client) {
        GraphQlClient.Rest r = client.postJson("/v1/endpoints/guarded/predict",
                Map.of("rows", List.of(Map.of("income", 0.5, "debt", 0.1))));
        return r.status() == 200 ? r.body().path("version").asInt() : -1;
    }

    private RaiseDriftAlert alert(int version, double psi) {
        return new RaiseDriftAlert(DriftAlertId.forTarget(ENDPOINT, MODEL, version), ENDPOINT, MODEL, version, psi,
                0.2, 100, Instant.now());
    }

    @Test
    void whenTheVersionDeployedLastDrifts_theEndpointRollsBackOnce_asTheRolloutGuard() throws Exception {
        importVersion(1f);
        importVersion(2f);
        deploy(1);
        deploy(2);
        GraphQlClient client = new GraphQlClient(baseUrl(), TESTER_TOKEN);
        await().atMost(Duration.ofSeconds(30)).until(() -> servedVersion(client) == 2);
        graphQl(TESTER_TOKEN).document("""
                        mutation { configureRolloutPolicy(input: {endpoint: "guarded", rollBackOnDrift: true,
                          minPsi: 0.3}) { rollBackOnDrift minPsi errors { message } } }""").execute()
                .path("configureRolloutPolicy.errors").entityList(Object.class).hasSize(0)
                .path("configureRolloutPolicy.minPsi").entity(Double.class).isEqualTo(0.3);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> graphQl(AUDITOR_TOKEN).document("""
                        { endpoint(name: "guarded") { rolloutPolicy { rollBackOnDrift minPsi since } } }""").execute()
                .path("endpoint.rolloutPolicy.rollBackOnDrift").entity(Boolean.class).isEqualTo(true)
                .path("endpoint.rolloutPolicy.minPsi").entity(Double.class).isEqualTo(0.3)
                .path("endpoint.rolloutPolicy.since").entity(String.class).satisfies(since ->
                        org.assertj.core.api.Assertions.assertThat(java.time.Instant.parse(since)).isNotNull()));

        // too weak for the policy: declined, on the record
        commands.send(alert(2, 0.25), Actor.service("drift-monitor"), null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> graphQl(AUDITOR_TOKEN).document("""
                        { auditEvents(filter: {entityKind: "endpoint", entityId: "guarded",
                          eventType: "annals.AutomaticRollbackDeclined"}) { totalCount edges { node { actor } } } }""")
                .execute().path("auditEvents.totalCount").entity(Long.class).isEqualTo(1L)
                .path("auditEvents.edges[0].node.actor").entity(String.class).isEqualTo("service:rollout-guard"));
        assertThat(servedVersion(client)).isEqualTo(2);

        // the alert is resolved, and a strong one follows: the endpoint goes back to version 1
        graphQl(TESTER_TOKEN).document("""
                mutation { resolveDriftAlert(input: {alertId: "guarded~guarded-model~v2", note: "weak"}) {
                  errors { message } } }""").execute().path("resolveDriftAlert.errors").entityList(Object.class)
                .hasSize(0);
        commands.send(alert(2, 0.6), Actor.service("drift-monitor"), null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> graphQl(AUDITOR_TOKEN).document("""
                        { endpoint(name: "guarded") { currentRevision revisions { revision kind reason by
                          targets { version } } } }""").execute()
                .path("endpoint.currentRevision").entity(Integer.class).isEqualTo(3)
                .path("endpoint.revisions[2].kind").entity(String.class).isEqualTo("ROLLBACK")
                .path("endpoint.revisions[2].by").entity(String.class).isEqualTo("service:rollout-guard")
                .path("endpoint.revisions[2].reason").entity(String.class)
                .isEqualTo("automatic rollback: drift alert guarded~guarded-model~v2#2 on model 'guarded-model' "
                        + "version 2 (PSI 0.600)")
                .path("endpoint.revisions[2].targets[0].version").entity(Integer.class).isEqualTo(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> servedVersion(client) == 1);

        // the same alert again (a redelivery, a restart) changes nothing
        String streamEvents = "select count(*) from domainevententry where aggregateidentifier = 'endpoint:guarded'";
        long before = jdbc.queryForObject(streamEvents, Long.class);
        Boolean again = commands.send(new RollBackOnDriftAlert(ENDPOINT, "guarded~guarded-model~v2#2", MODEL, 2, 0.6,
                Instant.now()), Actor.service("rollout-guard"), null);
        assertThat(again).isFalse();
        assertThat(jdbc.queryForObject(streamEvents, Long.class)).isEqualTo(before);
    }
}
