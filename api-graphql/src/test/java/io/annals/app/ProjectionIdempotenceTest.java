package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.annals.command.api.common.Actor;
import io.annals.command.api.drift.AcknowledgeDriftAlert;
import io.annals.command.api.drift.DriftAlertId;
import io.annals.command.api.drift.RaiseDriftAlert;
import io.annals.command.api.drift.ResolveDriftAlert;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.model.ModelName;
import io.annals.query.audit.AuditProjection;
import io.annals.workers.port.CommandPort;
import io.annals.query.dataset.DatasetProjection;
import io.annals.query.drift.DriftAlertProjection;
import io.annals.query.endpoint.EndpointProjection;
import io.annals.query.model.ModelProjection;
import io.annals.query.rebuild.ProjectionRebuilds;
import io.annals.query.trainingrun.TrainingRunProjection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.common.stream.BlockingStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * Every projection gives the same documents when it gets every event of the log a second time, as it does when a
 * processor retries a batch or a consumer gets an event twice.
 */
class ProjectionIdempotenceTest extends PlatformTestSupport {

    @Autowired
    ApplicationContext context;
    @Autowired
    EventStore eventStore;
    @Autowired
    ElasticsearchClient es;
    @Autowired
    ProjectionRebuilds rebuilds;
    @Autowired
    io.annals.infra.clients.SecretBox secrets;
    @Autowired
    CommandPort commands;

    private static final Map<String, Class<?>> PROJECTIONS = Map.of(
            AuditProjection.PROCESSING_GROUP, AuditProjection.class,
            DatasetProjection.PROCESSING_GROUP, DatasetProjection.class,
            TrainingRunProjection.PROCESSING_GROUP, TrainingRunProjection.class,
            ModelProjection.PROCESSING_GROUP, ModelProjection.class,
            EndpointProjection.PROCESSING_GROUP, EndpointProjection.class,
            DriftAlertProjection.PROCESSING_GROUP, DriftAlertProjection.class,
            io.annals.query.webhook.WebhookProjection.PROCESSING_GROUP, io.annals.query.webhook.WebhookProjection.class,
            io.annals.query.pipeline.PipelineRunProjection.PROCESSING_GROUP,
            io.annals.query.pipeline.PipelineRunProjection.class);

    @ParameterizedTest
    @ValueSource(strings = {"audit-projection", "dataset-projection", "training-run-projection", "model-projection",
            "endpoint-projection", "drift-alert-projection", "webhook-projection", "pipeline-run-projection"})
    void givenAProjectionUpToDate_whenEveryEventIsDeliveredAgain_thenItsDocumentsAreUnchanged(String projection)
            throws Exception {
        ensureHistory();
        AnnotationEventHandlerAdapter handlers = new AnnotationEventHandlerAdapter(
                context.getBean(PROJECTIONS.get(projection)));
        long head = awaitCaughtUp(projection);
        Map<String, Map<String, Object>> before = allDocuments();
        long redelivered = 0;
        try (BlockingStream<TrackedEventMessage<?>> events = eventStore.openStream(null)) {
            while (events.hasNextAvailable()) {
                TrackedEventMessage<?> event = events.nextAvailable();
                if (event.trackingToken().position().orElse(Long.MAX_VALUE) > head) {
                    break;
                }
                if (handlers.canHandle(event)) {
                    handlers.handle(event);
                    redelivered++;
                }
            }
        }
        Map<String, Map<String, Object>> after = allDocuments();
        assertThat(redelivered).as("events delivered again").isPositive();
        assertThat(after).as("no document lost").containsKeys(before.keySet().toArray(String[]::new));
        // workers of earlier tests may still be adding events: a document a newer event changed is left out
        Map<String, Map<String, Object>> unchanged = new java.util.HashMap<>();
        Map<String, Map<String, Object>> expected = new java.util.HashMap<>();
        before.forEach((id, document) -> {
            Map<String, Object> now = after.get(id);
            if (((Number) now.getOrDefault("position", -1L)).longValue() <= head) {
                unchanged.put(id, now);
                expected.put(id, document);
            }
        });
        assertThat(unchanged).as("documents of events up to position " + head).isNotEmpty().isEqualTo(expected);
    }

    /** A little of everything, so that each projection has documents to keep. */
    private void ensureHistory() {
        if (jdbc.queryForObject("select count(*) from domainevententry where aggregateidentifier = "
                + "'endpoint:idempotent-endpoint'", Long.class) > 0) {
            return;
        }
        String batchId = (String) ingest("idempotent-data", csv(300, 31)).get("batchId");
        awaitRun(requestRun("idempotent-data", batchId, "idempotent-model"), "COMPLETED");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> graphQl(TESTER_TOKEN)
                .document("""
                        mutation { assignModelAlias(input: {model: "idempotent-model", alias: "champion", version: 1}) {
                          errors { message } } }""")
                .execute().path("assignModelAlias.errors").entityList(Object.class).hasSize(0));
        graphQl(TESTER_TOKEN).document("""
                        mutation { deployModel(input: {endpoint: "idempotent-endpoint", model: "idempotent-model",
                          alias: "champion"}) { errors { message } } }""")
                .execute().path("deployModel.errors").entityList(Object.class).hasSize(0);
        graphQl(TESTER_TOKEN).document("""
                        mutation { configureDriftMonitor(input: {endpoint: "idempotent-endpoint", psiThreshold: 0.3,
                          windowSize: 100}) { errors { message } } }""")
                .execute().path("configureDriftMonitor.errors").entityList(Object.class).hasSize(0);
        // an alert raised, acknowledged and raised again, as the drift monitor and an on-call person would
        DriftAlertId alert = DriftAlertId.forTarget(EndpointName.of("idempotent-endpoint"),
                ModelName.of("idempotent-model"), 1);
        RaiseDriftAlert raise = new RaiseDriftAlert(alert, EndpointName.of("idempotent-endpoint"),
                ModelName.of("idempotent-model"), 1, 0.5, 0.3, 100, java.time.Instant.now());
        commands.send(raise, Actor.service("drift-monitor/test"), null);
        commands.send(new AcknowledgeDriftAlert(alert, "looking"), Actor.user("tester"), null);
        commands.send(new ResolveDriftAlert(alert, "upstream fixed"), Actor.user("tester"), null);
        commands.send(raise, Actor.service("drift-monitor/test"), null);
        // a webhook registered, replayed and removed, with an attempt recorded as the dispatcher would
        io.annals.command.api.webhook.WebhookId webhook = io.annals.command.api.webhook.WebhookId.of(
                "idempotent-webhook");
        commands.send(new io.annals.command.api.webhook.RegisterWebhook(webhook, "http://127.0.0.1:9",
                List.of("annals.DatasetRegistered"), secrets.seal("http://127.0.0.1:9/hook"),
                secrets.seal("0123456789abcdef")), Actor.user("tester"), null);
        commands.send(new io.annals.command.api.webhook.ReplayWebhook(webhook, "replay-1", 0L, null),
                Actor.user("tester"), null);
        commands.send(new io.annals.command.api.webhook.RecordWebhookDelivery(
                io.annals.command.api.webhook.WebhookDeliveryId.of(webhook, "event-1"), webhook,
                new io.annals.command.api.webhook.WebhookAttempt("attempt-1", "event-1", "annals.DatasetRegistered", 1L,
                        "dataset:idempotent-data", 1, io.annals.command.api.webhook.DeliveryOutcome.FAILED, 500,
                        "answered 500", 12, java.time.Instant.now(), null)),
                Actor.service("webhook-dispatcher"), null);
        commands.send(new io.annals.command.api.webhook.RemoveWebhook(webhook), Actor.user("tester"), null);
        // a pipeline run, started by hand and carried through its steps by the runner
        graphQl(TESTER_TOKEN).document("""
                        mutation { registerPipeline(input: {name: "idempotent-pipeline", model: "idempotent-piped",
                          trainingSpec: {task: BINARY_CLASSIFICATION, features: ["x"], label: "label",
                            hyperparameters: {epochs: 1, hiddenUnits: [2]}},
                          inputs: [{dataset: "idempotent-data"}]}) { errors { message } } }""")
                .execute().path("registerPipeline.errors").entityList(Object.class).hasSize(0);
        graphQl(TESTER_TOKEN).document("""
                        mutation { triggerPipeline(input: {pipeline: "idempotent-pipeline"}) { errors { message } } }""")
                .execute().path("triggerPipeline.errors").entityList(Object.class).hasSize(0);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> graphQl(TESTER_TOKEN).document("""
                        { pipelineRun(id: "idempotent-pipeline#1") { status } }""").execute()
                .path("pipelineRun.status").entity(String.class).isEqualTo("PROMOTED"));
    }

    private long lastPosition() {
        Long max = jdbc.queryForObject("select max(globalindex) from domainevententry", Long.class);
        return max == null ? -1 : max;
    }

    private long awaitCaughtUp(String projection) {
        long[] head = new long[1];
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            head[0] = lastPosition();
            Long position = rebuilds.status().stream().filter(s -> projection.equals(s.name()))
                    .findFirst().orElseThrow().position();
            assertThat(position).isNotNull();
            assertThat(position).isGreaterThanOrEqualTo(head[0]);
        });
        return head[0];
    }

    /** Every document of every Annals index, by index and id. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Map<String, Map<String, Object>> allDocuments() throws Exception {
        es.indices().refresh(r -> r.index("annals-*"));
        Map<String, Map<String, Object>> all = new TreeMap<>();
        var response = es.search(s -> s.index("annals-*").size(10_000).query(q -> q.matchAll(m -> m)), Map.class);
        for (var hit : response.hits().hits()) {
            all.put(hit.index() + "/" + hit.id(), (Map<String, Object>) hit.source());
        }
        assertThat(all).isNotEmpty();
        return all;
    }
}
