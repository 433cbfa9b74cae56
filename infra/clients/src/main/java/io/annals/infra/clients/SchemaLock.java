package io.annals.infra.clients;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Annals' own tables are created by whichever process starts first, and several may start at once. PostgreSQL's
 * {@code create table if not exists} is not safe against itself (two sessions both pass the check, and the second
 * fails on the catalogue's unique index), so table creation runs in a transaction holding one advisory lock: the
 * second process waits for the first to commit and then finds the table there.
 */
public final class SchemaLock {

    /** The advisory lock's key: "annals" in ASCII, unlikely to meet another application's. */
    private static final long KEY = 0x616e6e616c73L;

    /** Work on a connection inside the locked transaction. */
    @FunctionalInterface
    public interface SqlWork {
        void run(Connection connection) throws SQLException;
    }

    private SchemaLock() {
    }

    /**
     * Takes the lock in the transaction {@code connection} is in; it is released when that transaction ends. For
     * callers whose transaction is managed elsewhere (Axon's event store tables).
     */
    public static void hold(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("select pg_advisory_xact_lock(" + KEY + ")");
        }
    }

    /** Runs {@code work} in a transaction of its own that holds the lock, and commits it. */
    public static void inTransaction(DataSource dataSource, SqlWork work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                hold(connection);
                work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create Annals' tables: " + e.getMessage(), e);
        }
    }
}
