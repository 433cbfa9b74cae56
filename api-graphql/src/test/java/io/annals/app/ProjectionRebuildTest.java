package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.trainingrun.Hyperparameters;
import io.annals.command.api.trainingrun.RunStatus;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingEpochCompleted;
import io.annals.command.api.trainingrun.TrainingRunClaimed;
import io.annals.command.api.trainingrun.TrainingRunFailed;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.api.trainingrun.TrainingRunRequested;
import io.annals.command.api.trainingrun.TrainingRunView;
import io.annals.query.trainingrun.TrainingRunProjection;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.IntStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import io.annals.query.audit.AuditProjection;
import io.annals.query.dataset.DatasetProjection;
import io.annals.query.elastic.Documents;
import io.annals.query.rebuild.ProjectionRebuilds;
import io.annals.query.rebuild.RebuildRequests;
import io.annals.query.rebuild.RebuildSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.graphql.execution.ErrorType;

/** Any read model can be rebuilt from the event log, without queries ever seeing a partial history. */
class ProjectionRebuildTest extends PlatformTestSupport {

    @Autowired
    Documents documents;
    @Autowired
    co.elastic.clients.elasticsearch.ElasticsearchClient es;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    @Qualifier("eventStore")
    StreamableMessageSource<?> eventLog;
    @Autowired
    TokenStore tokens;
    @Autowired
    ConnectionProvider connections;
    @Autowired
    Serializer serializer;
    @Autowired
    TransactionManager transactions;
    @Autowired
    ProjectionRebuilds rebuilds;
    @Autowired
    EventStore eventStore;
    @Autowired
    DataSource dataSource;

    @Test
    void givenAReadModelWhoseIndexIsMissing_whenTheQuerySideStarts_thenItsProjectionIsRebuiltFromTheLog() {
        graphQl(TESTER_TOKEN).document("""
                        mutation { registerDataset(input: {name: "auto-rebuilt", columns: [{name: "x", type: DOUBLE}]}) {
                          dataset { name } errors { message } } }""")
                .execute().path("registerDataset.dataset.name").entity(String.class).isEqualTo("auto-rebuilt");
        long before = documents.count(DatasetProjection.DATASETS.alias());
        assertThat(before).isPositive();

        // as if this build had brought a new version of the read model: its alias is not there, its projection has run
        deleteIndexes(DatasetProjection.DATASETS.alias() + "-g*");
        assertThat(documents.exists(DatasetProjection.DATASETS)).isFalse();
        // the same process starting again (its processors are this context's, so it goes by the same name)
        try (ProjectionRebuilds starting = new ProjectionRebuilds(processing, documents, eventLog, tokens,
                transactions, new RebuildRequests(dataSource, Duration.ofSeconds(30)),
                new RebuildSettings(Duration.ofSeconds(3), Duration.ofSeconds(30), 2, 500), rebuilds.node())) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                assertThat(documents.count(DatasetProjection.DATASETS.alias())).isEqualTo(before);
                graphQl(AUDITOR_TOKEN).document("{ dataset(name: \"auto-rebuilt\") { name } }").execute()
                        .path("dataset.name").entity(String.class).isEqualTo("auto-rebuilt");
            });
        }
    }

    private void deleteIndexes(String pattern) {
        try {
            es.indices().delete(d -> d.index(pattern).allowNoIndices(true));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The run projection reads each run's document before it changes it: rebuilt by the replay's lanes, in batches of
     * seven events (the tests' setting), the events of thirty runs interleaved, every run document comes out as the
     * projection following the log live had made it.
     */
    @Test
    void givenRunsWithEpochsInterleaved_whenTheRunProjectionIsRebuilt_thenEveryRunDocumentIsAsBefore() {
        String prefix = "replayed-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> ids = IntStream.range(0, 30).mapToObj(i -> prefix + i).toList();
        // what every recorded event carries (other tests check every event on annals.events for it)
        String correlation = UUID.randomUUID().toString();
        MetaData meta = MetaData.with(MetadataKeys.ACTOR, "service:test")
                .and(MetadataKeys.CORRELATION_ID, correlation).and(MetadataKeys.CAUSATION_ID, correlation);
        Hyperparameters hp = new Hyperparameters(5, 0.01, 64, List.of(4), 0.2);
        List<BatchRef> none = List.of(new BatchRef(DatasetName.of("nowhere"), BatchId.of("b-0")));
        Instant at = Instant.parse("2026-12-01T00:00:00Z");
        List<DomainEventMessage<?>> events = new java.util.ArrayList<>();
        // round by round, every run takes a step: each batch of the replay holds steps of many runs
        for (int step = 0; step < 8; step++) {
            for (String id : ids) {
                TrainingRunId run = TrainingRunId.of(id);
                Object payload = switch (step) {
                    case 0 -> new TrainingRunRequested(run, ModelName.of("replayed"), Task.BINARY_CLASSIFICATION,
                            none, List.of("x"), "label", hp, 1, List.of(), null);
                    case 1 -> new TrainingRunClaimed(run, "test-worker", 1, at.plusSeconds(3600));
                    case 7 -> new TrainingRunFailed(run, "test-worker", "stopped by the test after epoch 5");
                    default -> new TrainingEpochCompleted(run, step - 1, 5, 0.7 - step * 0.01, 0.72 - step * 0.01,
                            Map.of("auc", 0.8 + step * 0.01), at.plusSeconds(3600));
                };
                events.add(new GenericDomainEventMessage<>("TrainingRun", StreamId.of(run).toString(), step,
                        payload, meta));
            }
        }
        eventStore.publish(events);
        long head = jdbc.queryForObject("select max(globalindex) from domainevententry", Long.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> rebuilds.status().stream()
                .filter(p -> TrainingRunProjection.PROCESSING_GROUP.equals(p.name()))
                .allMatch(p -> p.position() != null && p.position() >= head));
        List<TrainingRunView> before = documents.getAll(TrainingRunProjection.RUNS, ids, Documents.Source.ALL);
        assertThat(before).hasSize(30).allSatisfy(run -> {
            assertThat(run.epochs()).hasSize(5);
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        });

        rebuilds.rebuild(TrainingRunProjection.PROCESSING_GROUP);

        await().atMost(Duration.ofSeconds(120)).until(() -> !documents.rebuilding(TrainingRunProjection.RUNS.alias()));
        assertThat(documents.getAll(TrainingRunProjection.RUNS, ids, Documents.Source.ALL))
                .containsExactlyElementsOf(before);
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenHistory_whenTheAuditProjectionIsRebuilt_thenQueriesNeverSeeLessAndTheNewGenerationTakesOver()
            throws Exception {
        graphQl(TESTER_TOKEN).document("""
                        mutation { registerDataset(input: {name: "rebuilt", columns: [{name: "x", type: DOUBLE}]}) {
                          errors { message } } }""")
                .execute().path("registerDataset.errors").entityList(Object.class).hasSize(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> documents.count(AuditProjection.AUDIT.alias()) == allStoredEvents());
        long before = auditTotal();
        String generationBefore = generation();

        graphQl(TESTER_TOKEN).document("""
                        mutation { rebuildProjection(input: {name: "audit-projection"}) { projection { name rebuilding }
                          errors { message } } }""")
                .execute().path("rebuildProjection.errors").entityList(Object.class).hasSize(0)
                .path("rebuildProjection.projection.name").entity(String.class).isEqualTo("audit-projection")
                .path("rebuildProjection.projection.rebuilding").entity(Boolean.class).isEqualTo(true);

        // while the new generation fills, queries read the old, complete one: never fewer events than before
        List<Long> seen = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .untilAsserted(() -> {
                    seen.add(auditTotal());
                    assertThat(generation()).isNotEqualTo(generationBefore);
                });
        assertThat(seen).allSatisfy(total -> assertThat(total).isGreaterThanOrEqualTo(before));

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            assertThat(documents.count(AuditProjection.AUDIT.alias())).isEqualTo(storedEvents());
            List<Map<String, Object>> projections = graphQl(AUDITOR_TOKEN)
                    .document("{ projections { name replaying running rebuilding } }").execute()
                    .path("projections").entityList(Map.class).get().stream()
                    .map(m -> (Map<String, Object>) m).toList();
            assertThat(projections).filteredOn(p -> "audit-projection".equals(p.get("name")))
                    .singleElement().satisfies(p -> {
                        assertThat(p.get("replaying")).isEqualTo(false);
                        assertThat(p.get("running")).isEqualTo(true);
                        assertThat(p.get("rebuilding")).isEqualTo(false);
                    });
        });
        assertThat(es.indices().exists(e -> e.index(generationBefore)).value()).as("old generation removed")
                .isFalse();
    }

    @Test
    void givenAnotherProcessRebuildingStopsBeating_thenThisOneTakesTheRebuildOverWhereItWas() throws Exception {
        StreamingEventProcessor audit = processing.eventProcessor(AuditProjection.PROCESSING_GROUP,
                StreamingEventProcessor.class).orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> documents.count(AuditProjection.AUDIT.alias())
                == allStoredEvents());
        String generationBefore = generation();

        // another query process asks for a rebuild: this one stops its processor, so the other can claim it all
        jdbc.update("insert into annals_projection_rebuilds (projection, requested_by, requested_at, heartbeat_at) "
                + "values (?, 'ghost', now(), now())", AuditProjection.PROCESSING_GROUP);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> !audit.isRunning()
                    && audit.processingStatus().isEmpty());
            // the other process resets the tokens (here, by this processor, which starts the new generation the
            // same way) and dies before it is done: its request stops beating
            audit.resetTokens();
            assertThat(documents.rebuilding(AuditProjection.AUDIT.alias())).isTrue();
            jdbc.update("update annals_projection_rebuilds set heartbeat_at = now() - interval '1 hour' "
                    + "where projection = ?", AuditProjection.PROCESSING_GROUP);

            // this process takes the request over, replays into that generation and swaps it in
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .untilAsserted(() -> {
                        assertThat(audit.isRunning()).isTrue();
                        assertThat(generation()).isNotEqualTo(generationBefore);
                        assertThat(documents.count(AuditProjection.AUDIT.alias())).isEqualTo(allStoredEvents());
                        assertThat(jdbc.queryForObject("select count(*) from annals_projection_rebuilds",
                                Integer.class)).as("the request closed").isZero();
                    });
        } finally {
            jdbc.update("delete from annals_projection_rebuilds where requested_by = 'ghost'");
            await().atMost(Duration.ofSeconds(30)).until(audit::isRunning);
        }
        assertThat(documents.rebuilding(AuditProjection.AUDIT.alias())).isFalse();
    }

    private long auditTotal() {
        return graphQl(AUDITOR_TOKEN).document("{ auditEvents(first: 1) { totalCount } }").execute()
                .path("auditEvents.totalCount").entity(Long.class).get();
    }

    /** The index generation that queries of the audit log read now. */
    private String generation() throws Exception {
        return es.indices().getAlias(g -> g.name(AuditProjection.AUDIT.alias())).result().keySet().iterator().next();
    }

    @Test
    void givenAnotherProcessKeepsASegment_whenRebuilding_thenConflictAfterTheHandover_andThisProcessGoesOnProjecting()
            throws Exception {
        StreamingEventProcessor audit = processing.eventProcessor(AuditProjection.PROCESSING_GROUP,
                StreamingEventProcessor.class).orElseThrow();
        // another query process that does not take part in the handover (an older version, or one cut off from the
        // database's rebuild requests): its own node id on the same token store, keeping its claim on segment 1 fresh
        JdbcTokenStore other = JdbcTokenStore.builder().connectionProvider(connections).serializer(serializer)
                .nodeId("other-query-process").claimTimeout(Duration.ofSeconds(10)).build();
        AtomicBoolean holding = new AtomicBoolean(true);
        audit.shutDown();
        transactions.executeInTransaction(() -> other.fetchToken(AuditProjection.PROCESSING_GROUP, 1));
        Thread keeper = new Thread(() -> {
            while (holding.get()) {
                transactions.executeInTransaction(() -> other.extendClaim(AuditProjection.PROCESSING_GROUP, 1));
                LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
            }
        }, "other-process-claim");
        keeper.start();
        try {
            audit.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> audit.processingStatus().keySet().equals(Set.of(0)));
            String generationBefore = generation();

            graphQl(TESTER_TOKEN).document("""
                            mutation { rebuildProjection(input: {name: "audit-projection"}) { errors { code message } } }""")
                    .execute()
                    .path("rebuildProjection.errors[0].code").entity(String.class).isEqualTo("CONFLICT")
                    .path("rebuildProjection.errors[0].message").entity(String.class).satisfies(m -> assertThat(m)
                            .startsWith("projection audit-projection also runs in another process, which did not "
                                    + "let go of its segments within 3 s"));
            assertThat(jdbc.queryForObject("select count(*) from annals_projection_rebuilds", Integer.class))
                    .as("the request was withdrawn").isZero();

            // nothing was reset, and this process's segment goes on projecting the events that follow
            assertThat(audit.isRunning()).isTrue();
            assertThat(audit.isReplaying()).isFalse();
            assertThat(generation()).isEqualTo(generationBefore);
            for (int i = 0; i < 3; i++) {
                graphQl(TESTER_TOKEN).document("mutation { registerDataset(input: {name: \"held-" + i + "-"
                        + System.nanoTime() + "\", columns: [{name: \"x\", type: DOUBLE}]}) { errors { message } } }")
                        .execute().path("registerDataset.errors").entityList(Object.class).hasSize(0);
            }
            // its segment reads on past them (which of the two segments indexes an event depends on its stream's hash)
            long head = eventLog.createHeadToken().position().orElseThrow();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                EventTrackerStatus own = audit.processingStatus().get(0);
                return own != null && !own.isErrorState() && own.getCurrentPosition().orElse(-1) >= head;
            });
        } finally {
            holding.set(false);
            keeper.join();
            transactions.executeInTransaction(() -> other.releaseClaim(AuditProjection.PROCESSING_GROUP, 1));
        }
        // when the other process lets go, this one takes both segments again and catches up
        await().atMost(Duration.ofSeconds(60)).until(() -> audit.processingStatus().keySet().equals(Set.of(0, 1)));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                documents.count(AuditProjection.AUDIT.alias()) == allStoredEvents());
    }

    @Test
    void givenNonAdministrator_whenRebuilding_thenForbidden() {
        graphQl(AUDITOR_TOKEN).document("""
                        mutation { rebuildProjection(input: {name: "audit-projection"}) { errors { code message } } }""")
                .execute().errors().satisfy(errors -> {
                    assertThat(errors).hasSize(1);
                    assertThat(errors.get(0).getErrorType()).isEqualTo(ErrorType.FORBIDDEN);
                    assertThat(errors.get(0).getMessage()).isEqualTo(
                            "user:auditor lacks permission projection:rebuild on projection:audit-projection");
                    assertThat(errors.get(0).getExtensions()).containsEntry("permission", "projection:rebuild");
                });
    }

    @Test
    void givenTheKafkaPublisher_whenRebuilding_thenRefusedAsNotAProjection() {
        graphQl(TESTER_TOKEN).document("""
                        mutation { rebuildProjection(input: {name: "kafka-publisher"}) { errors { code message } } }""")
                .execute()
                .path("rebuildProjection.errors[0].code").entity(String.class).isEqualTo("INVALID_INPUT")
                .path("rebuildProjection.errors[0].message").entity(String.class)
                .satisfies(m -> assertThat(m).startsWith("'kafka-publisher' is not a projection; projections: "
                        + "audit-projection"));
    }
}
