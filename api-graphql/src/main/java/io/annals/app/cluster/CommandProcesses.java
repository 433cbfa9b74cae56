package io.annals.app.cluster;

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
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes with the command role as another process reaches them ({@code annals.command.url}): each request
 * goes to the next one in turn, with the platform's internal token, and moves on to the following one only when a
 * connection could not be made (a request that was sent is never sent twice). Shared by the command port and the
 * record reads.
 */
public final class CommandProcesses {

    private static final Logger log = LoggerFactory.getLogger(CommandProcesses.class);

    private final List<URI> bases;
    private final String token;
    private final Duration timeout;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * One HTTP client for the process, made on first use (by the first command or read, on its own thread, not while
     * the process starts: making one sets up TLS, a noticeable part of a worker's start).
     */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public CommandProcesses(List<URI> bases, String internalToken, Duration timeout) {
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("this process does not run the command role (annals.roles): set "
                    + "annals.command.url to one or more processes that do");
        }
        this.bases = List.copyOf(bases);
        this.token = internalToken;
        this.timeout = timeout;
    }

    public List<URI> bases() {
        return bases;
    }

    /**
     * Sends a request to {@code path} (with its query) of the next process: POST with a JSON body, or GET when the
     * body is null. Fails with the cause of the last attempt; {@link #notConnected} tells whether it was sent.
     */
    public CompletableFuture<HttpResponse<byte[]>> send(String path, byte[] body) {
        return send(path, body, Math.floorMod(next.getAndIncrement(), bases.size()), 0);
    }

    private CompletableFuture<HttpResponse<byte[]>> send(String path, byte[] body, int index, int tried) {
        URI target = bases.get(index).resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        }
        return Http.CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .<CompletableFuture<HttpResponse<byte[]>>>handle((response, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(response);
                    }
                    Throwable cause = unwrap(failure);
                    if (notConnected(cause) && tried + 1 < bases.size()) {
                        log.warn("The command role at {} cannot be reached ({}); trying the next", bases.get(index),
                                cause.toString());
                        return send(path, body, (index + 1) % bases.size(), tried + 1);
                    }
                    return CompletableFuture.failedFuture(cause);
                }).thenCompose(f -> f);
    }

    /** True when no connection was made, so the request was certainly not handled. */
    public static boolean notConnected(Throwable cause) {
        return cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException;
    }

    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
