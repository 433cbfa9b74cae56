package io.annals.app.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.command.api.common.DomainException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.common.Registration;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command bus of a process without the {@code command} role: every command goes to a process that has it
 * ({@code annals.command.url}, one or more base URLs, taken in turn), and its result or refusal comes back as the
 * in-process bus would have given it. Nothing subscribes here: the aggregates' handlers run only in command
 * processes. A process that cannot be reached is skipped for the next one; a command whose request was sent but
 * whose answer was lost is reported as {@code UNAVAILABLE} ("may have been applied"), never sent twice.
 */
public final class RemoteCommandBus implements CommandBus {

    private static final Logger log = LoggerFactory.getLogger(RemoteCommandBus.class);

    private final CommandProcesses processes;
    private final List<MessageDispatchInterceptor<? super CommandMessage<?>>> dispatchInterceptors =
            new CopyOnWriteArrayList<>();

    public RemoteCommandBus(CommandProcesses processes) {
        this.processes = processes;
        log.info("Commands go to the command role at {}", processes.bases());
    }

    @Override
    public <C> void dispatch(CommandMessage<C> command) {
        dispatch(command, (c, r) -> {
            if (r.isExceptional()) {
                log.warn("A command sent without waiting failed: {}", r.exceptionResult().getMessage());
            }
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public <C, R> void dispatch(CommandMessage<C> command, CommandCallback<? super C, ? super R> callback) {
        CommandMessage<C> intercepted = command;
        for (MessageDispatchInterceptor<? super CommandMessage<?>> interceptor : dispatchInterceptors) {
            intercepted = (CommandMessage<C>) ((MessageDispatchInterceptor<CommandMessage<?>>) interceptor)
                    .handle(intercepted);
        }
        CommandMessage<C> sent = intercepted;
        byte[] body;
        try {
            body = CommandWire.request(sent);
        } catch (RuntimeException e) {
            callback.onResult(sent, GenericCommandResultMessage.asCommandResultMessage(e));
            return;
        }
        processes.send(CommandWire.PATH, body).handle((response, failure) -> {
            CommandResultMessage<R> result;
            if (failure == null) {
                result = (CommandResultMessage<R>) answer(response);
            } else {
                Throwable cause = CommandProcesses.unwrap(failure);
                result = GenericCommandResultMessage.asCommandResultMessage(CommandProcesses.notConnected(cause)
                        ? new DomainException(DomainException.Code.UNAVAILABLE, "no command process can be reached "
                                + "(" + processes.bases() + "): " + cause)
                        : new DomainException(DomainException.Code.UNAVAILABLE, "the command process did not "
                                + "answer (" + cause + "); the command may have been applied"));
            }
            callback.onResult(sent, result);
            return null;
        });
    }

    private static CommandResultMessage<?> answer(HttpResponse<byte[]> response) {
        JsonNode body;
        try {
            body = CommandWire.read(response.body());
        } catch (RuntimeException unreadable) {
            return GenericCommandResultMessage.asCommandResultMessage(new DomainException(
                    DomainException.Code.UNAVAILABLE, "the command process answered HTTP " + response.statusCode()
                    + " without JSON"));
        }
        if (response.statusCode() == 200) {
            return GenericCommandResultMessage.asCommandResultMessage(CommandWire.result(body));
        }
        return GenericCommandResultMessage.asCommandResultMessage(CommandWire.exception(response.statusCode(), body));
    }

    /** Nothing handles commands in this process: the aggregates' subscriptions are kept by the command role. */
    @Override
    public Registration subscribe(String commandName, MessageHandler<? super CommandMessage<?>> handler) {
        return () -> true;
    }

    @Override
    public Registration registerDispatchInterceptor(
            MessageDispatchInterceptor<? super CommandMessage<?>> dispatchInterceptor) {
        dispatchInterceptors.add(dispatchInterceptor);
        return () -> dispatchInterceptors.remove(dispatchInterceptor);
    }

    /** Handler interceptors run where the handlers run: in the command process. */
    @Override
    public Registration registerHandlerInterceptor(
            MessageHandlerInterceptor<? super CommandMessage<?>> handlerInterceptor) {
        return () -> true;
    }
}
