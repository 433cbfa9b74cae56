package io.annals.app.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.command.api.common.DomainException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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

    private final List<URI> targets;
    private final String token;
    private final HttpClient http;
    private final Duration timeout;
    private final AtomicInteger next = new AtomicInteger();
    private final List<MessageDispatchInterceptor<? super CommandMessage<?>>> dispatchInterceptors =
            new CopyOnWriteArrayList<>();

    public RemoteCommandBus(List<URI> commandProcesses, String internalToken, Duration timeout) {
        if (commandProcesses.isEmpty()) {
            throw new IllegalArgumentException("this process does not run the command role (annals.roles): set "
                    + "annals.command.url to one or more processes that do");
        }
        this.targets = commandProcesses.stream().map(u -> u.resolve(CommandWire.PATH)).toList();
        this.token = internalToken;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        log.info("Commands go to the command role at {}", commandProcesses);
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
        int first = Math.floorMod(next.getAndIncrement(), targets.size());
        send(body, first, 0).whenComplete((answer, failure) -> {
            CommandResultMessage<R> result = failure != null
                    ? GenericCommandResultMessage.asCommandResultMessage(unwrap(failure))
                    : (CommandResultMessage<R>) answer;
            callback.onResult(sent, result);
        });
    }

    /** Tries the targets from {@code index}; only a connection that was never made moves on to the next. */
    private CompletableFuture<CommandResultMessage<?>> send(byte[] body, int index, int tried) {
        URI target = targets.get(index);
        HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .<CompletableFuture<CommandResultMessage<?>>>handle((response, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(answer(response));
                    }
                    Throwable cause = unwrap(failure);
                    if (notConnected(cause) && tried + 1 < targets.size()) {
                        log.warn("The command role at {} cannot be reached ({}); trying the next", target, cause);
                        return send(body, (index + 1) % targets.size(), tried + 1);
                    }
                    return CompletableFuture.failedFuture(notConnected(cause)
                            ? new DomainException(DomainException.Code.UNAVAILABLE, "no command process can be reached "
                                    + "(" + targets + "): " + cause)
                            : new DomainException(DomainException.Code.UNAVAILABLE, "the command process at " + target
                                    + " did not answer (" + cause + "); the command may have been applied"));
                }).thenCompose(f -> f);
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

    private static boolean notConnected(Throwable cause) {
        return cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
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
