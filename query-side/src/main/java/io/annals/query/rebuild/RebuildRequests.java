package io.annals.query.rebuild;

import io.annals.infra.clients.SchemaLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Which projection a query process is rebuilding, shared by every query process through a small PostgreSQL table
 * beside the token store, so that a rebuild can be asked of any of them: the one asked opens a request; the others
 * see it within a second, stop their processor of that projection and so let go of its segments; the one asked
 * claims them all, replays the log into a new index generation and closes the request when queries read it; the
 * others then start again. The requester keeps a heartbeat on its request: one that has not beaten for
 * {@code staleAfter} belongs to a process that died, and another process takes the rebuild over where it was.
 */
public final class RebuildRequests {

    /** A process's request to rebuild a projection. */
    public record Request(String projection, String requestedBy, Instant requestedAt, Instant heartbeatAt) {
    }

    private final DataSource dataSource;
    /** {@code staleAfter} as a PostgreSQL interval. */
    private final String staleAfter;

    public RebuildRequests(DataSource dataSource, Duration staleAfter) {
        this.dataSource = dataSource;
        this.staleAfter = staleAfter.toMillis() + " milliseconds";
        SchemaLock.inTransaction(dataSource, connection -> {
            try (Statement create = connection.createStatement()) {
                create.execute("create table if not exists annals_projection_rebuilds (projection varchar(200) "
                        + "primary key, requested_by varchar(200) not null, requested_at timestamptz not null, "
                        + "heartbeat_at timestamptz not null)");
            }
        });
    }

    /**
     * Opens a request for {@code node}, keeps its own alive (its heartbeat), or takes over one whose requester stopped
     * beating.
     *
     * @return null when the request is this node's now; otherwise the live request of another process
     */
    public Request open(String projection, String node) {
        return work(connection -> {
            try (PreparedStatement claim = connection.prepareStatement("insert into annals_projection_rebuilds "
                    + "(projection, requested_by, requested_at, heartbeat_at) values (?, ?, now(), now()) "
                    + "on conflict (projection) do update set requested_by = excluded.requested_by, "
                    + "heartbeat_at = excluded.heartbeat_at, requested_at = case when "
                    + "annals_projection_rebuilds.requested_by = excluded.requested_by then "
                    + "annals_projection_rebuilds.requested_at else excluded.requested_at end "
                    + "where annals_projection_rebuilds.requested_by = excluded.requested_by "
                    + "or annals_projection_rebuilds.heartbeat_at < now() - ?::interval")) {
                claim.setString(1, projection);
                claim.setString(2, node);
                claim.setString(3, staleAfter);
                if (claim.executeUpdate() == 1) {
                    return null;
                }
            }
            return live(connection).get(projection);
        });
    }

    /** Takes over a request whose requester stopped beating; true when this node holds it now. */
    public boolean takeOverStale(String projection, String node) {
        return work(connection -> {
            try (PreparedStatement take = connection.prepareStatement("update annals_projection_rebuilds set "
                    + "requested_by = ?, heartbeat_at = now() where projection = ? "
                    + "and heartbeat_at < now() - ?::interval")) {
                take.setString(1, node);
                take.setString(2, projection);
                take.setString(3, staleAfter);
                return take.executeUpdate() == 1;
            }
        });
    }

    /** Closes this node's request, or one left by a process that died: the rebuild is over (done, or given up). */
    public void close(String projection, String node) {
        work(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("delete from annals_projection_rebuilds "
                    + "where projection = ? and (requested_by = ? or heartbeat_at < now() - ?::interval)")) {
                delete.setString(1, projection);
                delete.setString(2, node);
                delete.setString(3, staleAfter);
                return delete.executeUpdate();
            }
        });
    }

    /** Whether any request, live or stale, exists for the projection. */
    public boolean exists(String projection) {
        return work(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "select 1 from annals_projection_rebuilds where projection = ?")) {
                query.setString(1, projection);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    /** The requests whose requester is alive, by projection. */
    public Map<String, Request> live() {
        return work(this::live);
    }

    private Map<String, Request> live(Connection connection) throws SQLException {
        Map<String, Request> requests = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("select projection, requested_by, requested_at, "
                + "heartbeat_at from annals_projection_rebuilds where heartbeat_at >= now() - ?::interval")) {
            query.setString(1, staleAfter);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    requests.put(rows.getString(1), new Request(rows.getString(1), rows.getString(2),
                            instant(rows.getTimestamp(3)), instant(rows.getTimestamp(4))));
                }
            }
        }
        return requests;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T work(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("the projection rebuild requests could not be read or written: "
                    + e.getMessage(), e);
        }
    }
}
