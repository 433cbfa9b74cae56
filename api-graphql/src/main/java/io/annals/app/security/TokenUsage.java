package io.annals.app.security;

import io.annals.command.api.access.ApiTokenId;
import io.annals.infra.clients.SchemaLock;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * When each API token was last used, kept in PostgreSQL beside the event store and not in the log: it changes on
 * every request, it is not a decision anyone made, and the log would grow with traffic. Written at most once a
 * minute per token, off the request's thread.
 */
public final class TokenUsage implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TokenUsage.class);
    private static final Duration RESOLUTION = Duration.ofMinutes(1);

    private final JdbcTemplate jdbc;
    private final Map<ApiTokenId, Instant> written = new ConcurrentHashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "annals-token-usage");
        t.setDaemon(true);
        return t;
    });

    public TokenUsage(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        SchemaLock.inTransaction(jdbc.getDataSource(), connection -> {
            try (Statement create = connection.createStatement()) {
                create.execute("create table if not exists annals_api_token_usage ("
                        + "token_id varchar(16) primary key, last_used_at timestamptz not null)");
            }
        });
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
                    jdbc.update("insert into annals_api_token_usage (token_id, last_used_at) values (?, ?) "
                            + "on conflict (token_id) do update set last_used_at = greatest("
                            + "annals_api_token_usage.last_used_at, excluded.last_used_at)",
                            token.value(), Timestamp.from(at));
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
        Map<ApiTokenId, Instant> found = new HashMap<>();
        if (tokens.isEmpty()) {
            return found;
        }
        String marks = String.join(",", tokens.stream().map(t -> "?").toList());
        jdbc.query("select token_id, last_used_at from annals_api_token_usage where token_id in (" + marks + ")",
                rs -> {
                    found.put(ApiTokenId.of(rs.getString(1)), rs.getTimestamp(2).toInstant());
                }, tokens.stream().map(ApiTokenId::value).toArray());
        return found;
    }

    @Override
    public void close() {
        writer.shutdown();
    }
}
