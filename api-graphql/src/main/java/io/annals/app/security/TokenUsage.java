package io.annals.app.security;

import io.annals.app.records.CommandRecords;
import io.annals.command.api.access.ApiTokenId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When each API token was last used, kept beside the event store and not in the log ({@link CommandRecords}): it
 * changes on every request, it is not a decision anyone made, and the log would grow with traffic. Written at most
 * once a minute per token, off the request's thread.
 */
public final class TokenUsage implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TokenUsage.class);
    private static final Duration RESOLUTION = Duration.ofMinutes(1);

    private final CommandRecords records;
    private final Map<ApiTokenId, Instant> written = new ConcurrentHashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "annals-token-usage");
        t.setDaemon(true);
        return t;
    });

    public TokenUsage(CommandRecords records) {
        this.records = records;
    }

    /** Notes a use; the stored time is at most a minute behind. */
    public void used(ApiTokenId token, Instant at) {
        Instant last = written.get(token);
        if (last != null && Duration.between(last, at).compareTo(RESOLUTION) < 0) {
            return;
        }
        written.put(token, at);
        try {
            writer.execute(() -> {
                try {
                    records.tokenUsed(token, at);
                } catch (RuntimeException e) {
                    written.remove(token);
                    log.warn("Could not note the use of API token {}: {}", token, e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            written.remove(token);
        }
    }

    public Map<ApiTokenId, Instant> lastUsed(Collection<ApiTokenId> tokens) {
        return records.tokensLastUsed(tokens);
    }

    @Override
    public void close() {
        writer.shutdown();
    }
}
