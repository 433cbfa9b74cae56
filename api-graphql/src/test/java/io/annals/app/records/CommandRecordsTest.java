package io.annals.app.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.annals.app.PlatformTestSupport;
import io.annals.app.cluster.CommandProcesses;
import io.annals.app.cluster.CommandWire;
import io.annals.app.records.CommandRecords.StoredEvent;
import io.annals.command.api.access.ApiTokenId;
import io.annals.command.api.access.GrantRole;
import io.annals.command.api.access.RevokeRole;
import io.annals.command.api.access.Role;
import io.annals.command.api.access.RoleGranted;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.infra.clients.SecretBox;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The record as a process without the command role reads it: every read through {@code /internal/records} answers
 * what the command process reads in place, a stream longer than a page arrives whole, and the door takes the internal
 * token only.
 */
class CommandRecordsTest extends PlatformTestSupport {

    @Autowired
    LocalRecords local;

    @Autowired
    SecretBox secrets;

    @Autowired
    CommandGateway commands;

    private RemoteRecords remote(List<URI> targets, int page) {
        return new RemoteRecords(new CommandProcesses(targets, CommandWire.internalToken(secrets),
                Duration.ofSeconds(10)), page);
    }

    private RemoteRecords remote(List<URI> targets) {
        return remote(targets, RecordWire.PAGE);
    }

    private void send(Object command) {
        commands.sendAndWait(new GenericCommandMessage<>(command).andMetaData(Map.of(MetadataKeys.ACTOR,
                "user:tester")));
    }

    @Test
    void givenRecordsOfEveryKind_whenReadThroughTheCommandProcess_thenEachAnswerIsTheOneReadInPlace() {
        Actor principal = Actor.of("user:records-" + UUID.randomUUID().toString().substring(0, 8));
        for (int i = 0; i < 10; i++) {
            send(new GrantRole(principal, Role.VIEWER));
            send(new RevokeRole(principal, Role.VIEWER));
        }
        send(new GrantRole(principal, Role.DATA_SCIENTIST));
        RemoteRecords remote = remote(List.of(URI.create(baseUrl())), 7);

        List<StoredEvent> here = local.stream(StreamId.of(principal), null);
        assertThat(here).hasSize(21);
        assertThat(remote.stream(StreamId.of(principal), null)).as("21 events in pages of 7, as stored")
                .isEqualTo(here);
        assertThat(here.get(20).payload()).isEqualTo(new RoleGranted(principal, Role.DATA_SCIENTIST));
        assertThat(here.get(0).by()).isEqualTo(Actor.of("user:tester"));
        Instant middle = here.get(9).at();
        assertThat(remote.stream(StreamId.of(principal), middle)).as("up to an instant")
                .isEqualTo(local.stream(StreamId.of(principal), middle)).hasSizeBetween(10, 20);
        assertThat(remote.first(StreamId.of(principal))).isPresent().isEqualTo(local.first(StreamId.of(principal)));
        assertThat(remote.first(StreamId.of(Actor.of("user:nobody-" + UUID.randomUUID())))).isEmpty();
        assertThat(remote.principals()).contains(principal).isEqualTo(local.principals());

        String dataset = "records-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> batch = ingest(dataset, csv(20, 1));
        DatasetName name = DatasetName.of(dataset);
        BatchRef ref = new BatchRef(name, BatchId.of((String) batch.get("batchId")));
        assertThat(remote.schema(name)).isPresent().isEqualTo(local.schema(name));
        assertThat(remote.batch(ref)).isPresent().isEqualTo(local.batch(ref));
        assertThat(remote.batch(new BatchRef(name, BatchId.of("b-unknown")))).isEmpty();
        assertThat(remote.schema(DatasetName.of("no-such-" + dataset))).isEmpty();

        // a pipeline's stream, with every part of a definition and a run, arrives as stored
        io.annals.command.api.pipeline.PipelineName pipeline = io.annals.command.api.pipeline.PipelineName.of(dataset);
        send(new io.annals.command.api.pipeline.RegisterPipeline(pipeline,
                new io.annals.command.api.pipeline.PipelineDefinition(io.annals.command.api.model.ModelName.of(dataset),
                        new io.annals.command.api.pipeline.PipelineDefinition.Training(
                                io.annals.command.api.trainingrun.Task.BINARY_CLASSIFICATION, List.of("x"), "label",
                                null, 7L),
                        List.of(new io.annals.command.api.pipeline.PipelineDefinition.Input(name, List.of("p"))), null,
                        List.of(), new io.annals.command.api.pipeline.PipelineDefinition.Deployment("best", null),
                        true, new io.annals.command.api.pipeline.PipelineDefinition.Schedule("0 0 2 * * *",
                                "Europe/Berlin", null), Duration.ofMinutes(5),
                        io.annals.command.api.pipeline.PipelineDefinition.WhenBusy.SUPERSEDE)));
        send(new io.annals.command.api.pipeline.TriggerPipeline(pipeline,
                io.annals.command.api.pipeline.PipelineCause.manual("records")));
        List<StoredEvent> pipelineHere = local.stream(StreamId.of(pipeline), null);
        assertThat(pipelineHere).hasSizeGreaterThanOrEqualTo(2);
        Instant runStarted = pipelineHere.get(1).at(); // the runner goes on adding events: compare up to the start
        assertThat(remote.stream(StreamId.of(pipeline), runStarted)).hasSize(2)
                .isEqualTo(local.stream(StreamId.of(pipeline), runStarted));

        ApiTokenId token = ApiTokenId.random();
        Instant at = Instant.parse("2026-12-03T08:00:00.123456Z");
        remote.tokenUsed(token, at);
        assertThat(local.tokensLastUsed(List.of(token))).containsEntry(token, at);
        assertThat(remote.tokensLastUsed(List.of(token, ApiTokenId.random()))).isEqualTo(Map.of(token, at));
    }

    @Test
    void givenNoTokenAnApiTokenOrAHostileRead_whenPosted_thenRefusedWithItsReason_andWithNoProcessItIsUnavailable()
            throws Exception {
        String internal = CommandWire.internalToken(secrets);
        String principals = "{\"read\":\"principals\"}";
        assertThat(post(null, principals).statusCode()).isEqualTo(401);
        assertThat(post(TESTER_TOKEN, principals).statusCode()).as("an API token, even an admin's").isEqualTo(401);
        assertThat(post(internal, principals).statusCode()).isEqualTo(200);
        assertThat(post(internal, "{\"read\":\"everything\"}").body()).contains("'everything' is not a read");
        assertThat(post(internal, "{\"read\":\"stream\",\"stream\":\"access:user:a\",\"limit\":100000}").body())
                .contains("'limit' between 1 and 1000");
        assertThat(post(internal, "{\"read\":\"stream\",\"stream\":\"nokind\"}").statusCode()).isEqualTo(400);
        assertThat(post(internal, "[1,2]").statusCode()).isEqualTo(400);
        HttpResponse<String> huge = post(internal, "{\"read\":\"tokens-last-used\",\"tokens\":[\""
                + "t".repeat(RecordWire.MAX_BYTES) + "\"]}");
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(huge.body()).contains("at most " + RecordWire.MAX_BYTES + " bytes");

        Throwable wrongKey = catchThrowable(() -> new RemoteRecords(new CommandProcesses(List.of(URI.create(
                baseUrl())), "annals-internal.other", Duration.ofSeconds(5))).principals());
        assertThat(wrongKey).isInstanceOf(DomainException.class).hasMessageContaining("annals.secrets");
        URI down = URI.create("http://127.0.0.1:" + freePort());
        assertThat(remote(List.of(down, URI.create(baseUrl()))).principals()).isEqualTo(local.principals());
        Throwable none = catchThrowable(() -> remote(List.of(down)).principals());
        assertThat(none).isInstanceOf(DomainException.class).hasMessageContaining("no command process can be reached");
        assertThat(((DomainException) none).code()).isEqualTo(DomainException.Code.UNAVAILABLE);
    }

    private HttpResponse<String> post(String token, String body) throws Exception {
        return postJson(RecordWire.PATH, token, body);
    }
}
