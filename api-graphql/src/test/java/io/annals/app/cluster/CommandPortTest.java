package io.annals.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.annals.app.PlatformTestSupport;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.dataset.RegisterDataset;
import io.annals.command.api.drift.DriftAlertId;
import io.annals.command.api.drift.RaiseDriftAlert;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.model.ModelName;
import io.annals.infra.clients.SecretBox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The command port as a process without the command role uses it: its command bus sends to this platform's
 * {@code /internal/commands}, and every answer — a result, a refusal, a forbidden worker command — is the one the
 * in-process bus gives for the same command. What is refused leaves no event.
 */
class CommandPortTest extends PlatformTestSupport {

    @Autowired
    CommandGateway local;

    @Autowired
    SecretBox secrets;

    @Autowired
    MeterRegistry meters;

    private long counted(String command, String outcome) {
        Timer timer = meters.find("annals.internal.commands").tag("command", command).tag("outcome", outcome)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    private CommandGateway remote(List<URI> targets, String token) {
        return DefaultCommandGateway.builder()
                .commandBus(new RemoteCommandBus(new CommandProcesses(targets, token, Duration.ofSeconds(30))))
                .build();
    }

    private CommandGateway remote() {
        return remote(List.of(URI.create(baseUrl())), CommandWire.internalToken(secrets));
    }

    private static GenericCommandMessage<Object> as(Object command, Actor actor, String correlationId) {
        return new GenericCommandMessage<>(command).andMetaData(Map.of(MetadataKeys.ACTOR, actor.value(),
                MetadataKeys.CORRELATION_ID, correlationId));
    }

    private static RegisterDataset dataset(String name) {
        return new RegisterDataset(DatasetName.of(name), new DatasetSchema(List.of(
                new ColumnSpec("x", ColumnType.DOUBLE, false))), "sent from another process");
    }

    private int events(String stream) {
        return jdbc.queryForObject("select count(*) from domainevententry where aggregateidentifier = ?",
                Integer.class, stream);
    }

    @Test
    void givenAProcessWithoutTheCommandRole_whenItSendsCommands_thenTheyRunOnceWithItsActorAndAnswerAsInProcess() {
        String name = "remote-" + UUID.randomUUID().toString().substring(0, 8);
        long okBefore = counted("RegisterDataset", "ok");
        long refusedBefore = counted("RegisterDataset", "refused");
        GenericCommandMessage<Object> register = as(dataset(name), Actor.of("user:ana"), "corr-" + name);
        Object created = remote().sendAndWait(register);

        Object createdInProcess = local.sendAndWait(as(dataset(name + "-local"), Actor.of("user:ana"), "c"));
        assertThat(created).isEqualTo("dataset:" + name);
        assertThat(createdInProcess).isEqualTo("dataset:" + name + "-local");
        assertThat(events("dataset:" + name)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select convert_from(metadata, 'UTF8') from domainevententry "
                + "where aggregateidentifier = ?", String.class, "dataset:" + name))
                .as("the actor it names, and the message's identity, as the in-process bus keeps it")
                .contains("\"actor\":\"user:ana\"", "\"correlationId\":\"" + register.getIdentifier() + "\"");

        // the same refusal as in process: the type and the message (which names the event it could not store)
        Throwable remoteRefusal = catchThrowable(() -> remote().sendAndWait(as(dataset(name), Actor.of("user:ana"),
                "again")));
        Throwable localRefusal = catchThrowable(() -> local.sendAndWait(as(dataset(name), Actor.of("user:ana"),
                "again")));
        String reuse = "Cannot reuse aggregate identifier [dataset:" + name + "]";
        assertThat(localRefusal).hasMessageStartingWith(reuse);
        assertThat(remoteRefusal).isNotNull().hasSameClassAs(localRefusal).hasMessageStartingWith(reuse);
        assertThat(events("dataset:" + name)).isEqualTo(1);
        assertThat(counted("RegisterDataset", "ok")).as("annals_internal_commands_seconds").isEqualTo(okBefore + 1);
        assertThat(counted("RegisterDataset", "refused")).isEqualTo(refusedBefore + 1);

        // a worker's result crosses typed (a Boolean), its Instant and doubles intact
        EndpointName endpoint = EndpointName.of("remote-ep-" + UUID.randomUUID().toString().substring(0, 8));
        RaiseDriftAlert raise = new RaiseDriftAlert(DriftAlertId.forTarget(endpoint, ModelName.of("m"), 1), endpoint,
                ModelName.of("m"), 1, 0.4321, 0.2, 500, Instant.parse("2026-12-03T10:15:30.123Z"));
        Object raised = remote().sendAndWait(as(raise, Actor.service("drift-monitor"), "drift"));
        assertThat(raised).isEqualTo(Boolean.TRUE);
        assertThat(jdbc.queryForObject("select convert_from(payload, 'UTF8') from domainevententry "
                + "where aggregateidentifier = ?", String.class, "alert:" + raise.alertId().value()))
                .contains("0.4321", "2026-12-03T10:15:30.123Z");
    }

    @Test
    void givenAWorkerCommandItsRoleMayNotSend_whenSentRemotely_thenForbiddenAsInProcess_andNoEvent() {
        String name = "forbidden-" + UUID.randomUUID().toString().substring(0, 8);
        Actor trainer = Actor.of("service:training-worker/w9");
        Throwable remoteRefusal = catchThrowable(() -> remote().sendAndWait(as(dataset(name), trainer, "x")));
        Throwable localRefusal = catchThrowable(() -> local.sendAndWait(as(dataset(name), trainer, "x")));
        assertThat(remoteRefusal).isInstanceOf(DomainException.class).hasSameClassAs(localRefusal)
                .hasMessage(localRefusal.getMessage()).hasMessageContaining("may not send RegisterDataset");
        assertThat(((DomainException) remoteRefusal).code()).isEqualTo(DomainException.Code.FORBIDDEN);
        assertThat(events("dataset:" + name)).isZero();
    }

    @Test
    void givenTheFirstCommandProcessIsDown_whenACommandIsSent_thenTheNextTakesIt_andWithNoneLeftItIsUnavailable()
            throws Exception {
        URI down = URI.create("http://127.0.0.1:" + freePort());
        String name = "failover-" + UUID.randomUUID().toString().substring(0, 8);
        String token = CommandWire.internalToken(secrets);
        CommandGateway gateway = remote(List.of(down, URI.create(baseUrl())), token);
        gateway.sendAndWait(as(dataset(name), Actor.of("user:ana"), "f"));
        assertThat(events("dataset:" + name)).isEqualTo(1);

        Throwable none = catchThrowable(() -> remote(List.of(down), token)
                .sendAndWait(as(dataset(name + "-x"), Actor.of("user:ana"), "f")));
        assertThat(none).isInstanceOf(DomainException.class).hasMessageContaining("no command process can be reached");
        assertThat(((DomainException) none).code()).isEqualTo(DomainException.Code.UNAVAILABLE);
    }

    @Test
    void givenNoTokenAnApiTokenOrHostileBodies_whenPosted_thenEachIsRefusedWithItsReason_andNothingIsWritten()
            throws Exception {
        String name = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        String valid = "{\"id\":\"m1\",\"command\":\"RegisterDataset\",\"payload\":{\"name\":\"" + name
                + "\",\"schema\":{\"columns\":[{\"name\":\"x\",\"type\":\"DOUBLE\",\"nullable\":false}]}},"
                + "\"metadata\":{\"actor\":\"user:mallory\"}}";
        String internal = CommandWire.internalToken(secrets);

        assertThat(post(null, valid)).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("internal token");
        });
        assertThat(post(TESTER_TOKEN, valid).statusCode()).as("an API token, even an admin's")
                .isEqualTo(401);
        assertThat(post("annals-internal.forged", valid).statusCode()).isEqualTo(401);
        assertThat(post(internal, valid.replace("RegisterDataset", "java.lang.Runtime")).body())
                .contains("'java.lang.Runtime' is not a command of Annals");
        assertThat(post(internal, "{not json").statusCode()).isEqualTo(400);
        assertThat(post(internal, valid.replace("DOUBLE", "COMPLEX")).body()).contains("not a valid RegisterDataset");
        HttpResponse<String> huge = post(internal, valid.replace("mallory", "m".repeat(CommandWire.MAX_BYTES)));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(events("dataset:" + name)).isZero();

        // a wrong platform key on the sending side is named as such
        Throwable wrongKey = catchThrowable(() -> remote(List.of(URI.create(baseUrl())), "annals-internal.other")
                .sendAndWait(as(dataset(name), Actor.of("user:ana"), "k")));
        assertThat(wrongKey).hasMessageContaining("refused this process's internal token");
        assertThat(events("dataset:" + name)).isZero();

        // and the same body with the token is accepted, as the actor it names
        assertThat(post(internal, valid).statusCode()).isEqualTo(200);
        assertThat(events("dataset:" + name)).isEqualTo(1);
    }

    private HttpResponse<String> post(String token, String body) throws Exception {
        return postJson(CommandWire.PATH, token, body);
    }
}
