package io.annals.app.cluster;

import io.annals.app.RoleCondition;
import io.annals.infra.clients.SecretBox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The command role's door for the other Annals processes ({@link CommandWire#PATH}). The caller proves it is one of
 * the platform's processes with the internal token; the command then runs exactly as if the caller's own API or
 * worker had sent it here, with the actor and correlation it carries: the handler interceptors check the actor (a
 * service principal may send only what its role allows) and the aggregates decide.
 */
@RestController
@Conditional(RoleCondition.Command.class)
public class CommandEndpoint {

    private static final Logger log = LoggerFactory.getLogger(CommandEndpoint.class);

    private final CommandGateway commands;
    private final String token;
    private final MeterRegistry meters;

    public CommandEndpoint(CommandGateway commands, SecretBox secrets, MeterRegistry meters) {
        this.commands = commands;
        this.token = CommandWire.internalToken(secrets);
        this.meters = meters;
    }

    @PostMapping(CommandWire.PATH)
    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!CommandWire.admitted(request, response, token, "an internal command")) {
            return;
        }
        if (request.getContentLengthLong() > CommandWire.MAX_BYTES) {
            CommandWire.send(response, CommandWire.refusal(413, "invalid", null, "a command is at most "
                    + CommandWire.MAX_BYTES + " bytes"));
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(CommandWire.MAX_BYTES + 1);
        }
        if (body.length > CommandWire.MAX_BYTES) {
            CommandWire.send(response, CommandWire.refusal(413, "invalid", null, "a command is at most "
                    + CommandWire.MAX_BYTES + " bytes"));
            return;
        }
        CommandMessage<Object> command;
        try {
            command = CommandWire.command(body);
        } catch (IllegalArgumentException malformed) {
            log.warn("Refused an internal command: {}", malformed.getMessage());
            CommandWire.send(response, CommandWire.refusal(400, "invalid", null, malformed.getMessage()));
            return;
        }
        Object result;
        long start = System.nanoTime();
        try {
            result = commands.sendAndWait(command);
        } catch (RuntimeException failure) {
            CommandWire.Refusal refusal = CommandWire.refusal(failure);
            if (refusal == null) {
                log.error("An internal command {} failed", command.getPayloadType().getSimpleName(), failure);
                refusal = CommandWire.refusal(500, "internal", null, String.valueOf(failure.getMessage()));
            }
            record(command, refusal.status() == 500 ? "failed" : "refused", start);
            CommandWire.send(response, refusal);
            return;
        }
        record(command, "ok", start);
        response.setStatus(200);
        response.setContentType("application/json");
        response.getOutputStream().write(CommandWire.result(result));
    }

    private void record(CommandMessage<?> command, String outcome, long startNanos) {
        Timer.builder("annals.internal.commands").description("commands other Annals processes sent to this one")
                .tag("command", command.getPayloadType().getSimpleName()).tag("outcome", outcome)
                .register(meters).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
}
