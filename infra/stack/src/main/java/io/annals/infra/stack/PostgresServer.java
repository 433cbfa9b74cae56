package io.annals.infra.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** PostgreSQL from zonky's binaries, with its cluster in a data directory that is kept across restarts. */
final class PostgresServer implements AutoCloseable {

    static final String USER = "postgres";
    static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static PostgresServer start(Path directory) {
        try {
            Files.createDirectories(directory);
            stopLeftover(directory.resolve("data/postmaster.pid"));
            return Ports.startOnFreePorts("PostgreSQL", 1, ports -> {
                try {
                    return new PostgresServer(EmbeddedPostgres.builder()
                            .setDataDirectory(directory.resolve("data"))
                            .setOverrideWorkingDirectory(directory.resolve("work").toFile())
                            .setCleanDataDirectory(false)
                            .setPort(ports[0])
                            .setServerConfig("listen_addresses", "127.0.0.1")
                            .setServerConfig("max_connections", "200")
                            .setServerConfig("fsync", "on")
                            .setServerConfig("synchronous_commit", "on")
                            .start());
                } catch (IOException e) {
                    throw new UncheckedIOException("PostgreSQL did not start in " + directory, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start in " + directory, e);
        }
    }

    /**
     * zonky runs PostgreSQL detached from this JVM; a platform that was killed outright leaves it running on the
     * data directory, so stop it (a fast shutdown, SIGINT) before starting a new one.
     */
    private static void stopLeftover(Path postmasterPid) throws IOException {
        if (!Files.exists(postmasterPid)) {
            return;
        }
        String first = Files.readAllLines(postmasterPid).stream().findFirst().orElse("").trim();
        try {
            long pid = Long.parseLong(first);
            var leftover = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
            if (leftover.isPresent()) {
                LoggerFactory.getLogger(PostgresServer.class)
                        .warn("Stopping PostgreSQL left running by an earlier platform (pid {})", pid);
                new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
                leftover.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (NumberFormatException e) {
            // not a pid file we understand; let PostgreSQL judge it
        } catch (Exception e) {
            throw new IOException("could not stop the PostgreSQL left on " + postmasterPid.getParent(), e);
        }
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
        }
    }
}
