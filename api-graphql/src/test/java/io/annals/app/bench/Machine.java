package io.annals.app.bench;

import static org.awaitility.Awaitility.await;

import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.dataset.RegisterDataset;
import io.annals.infra.stack.EmbeddedStack;
import io.annals.query.rebuild.ProjectionRebuilds;
import io.annals.infra.stack.StackOnly;
import io.annals.infra.stack.StackSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.axonframework.commandhandling.GenericCommandMessage;

/**
 * What the benchmarks share: the embedded stack's data directory, the line that names the machine, the wait for
 * the server's JIT to go quiet, a second process's way to the stack, and the command they send over and over.
 */
final class Machine {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private Machine() {
    }

    /**
     * Makes the embedded stack keep its data in {@code kept} (created if missing), or, when that is null, in a new
     * temporary directory named after {@code prefix} that the stack's system user can read; the stack stops when the
     * JVM does.
     */
    static void useStackDataDirectory(String prefix, String kept) {
        try {
            Path data = kept != null ? Files.createDirectories(Path.of(kept))
                    : Files.createTempDirectory(prefix,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            System.setProperty("annals.stack.data-dir", data.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedStack::stopShared, "annals-bench-cleanup"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The settings that point another Annals process at this JVM's embedded stack (written beside its data, as
     * {@code StackOnly} does), for a benchmark that starts one.
     */
    static Path stackProperties() {
        Path data = Path.of(System.getProperty("annals.stack.data-dir"));
        return StackOnly.writeProperties(data, EmbeddedStack.shared(StackSettings.allEmbedded(data)).endpoints());
    }

    /** A dataset of one column with a name of its own, as the command the benchmarks send over and over. */
    /** Waits until every streaming processor of this process has read up to the event store's head. */
    static void awaitProcessorsCaughtUp(JdbcTemplate jdbc, EventProcessingConfiguration processing) {
        Long head = jdbc.queryForObject("select max(globalindex) from domainevententry", Long.class);
        long target = head == null ? -1 : head;
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                processing.eventProcessors().values().stream().filter(StreamingEventProcessor.class::isInstance)
                        .map(p -> ProjectionRebuilds.status(p.getName(), (StreamingEventProcessor) p))
                        .allMatch(s -> s.position() != null && s.position() >= target));
    }

    static CommandMessage<?> registerDataset() {
        return GenericCommandMessage.asCommandMessage(new RegisterDataset(DatasetName.of("bench-" + System.nanoTime()
                        + "-" + NAMES.incrementAndGet()),
                new DatasetSchema(List.of(new ColumnSpec("x", ColumnType.DOUBLE, false))), "benchmark"))
                .andMetaData(Map.of(MetadataKeys.ACTOR, "user:bench"));
    }

    /** Cores, heap, operating system and Java of this JVM. */
    static String describe() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + Runtime.getRuntime().maxMemory() / (1 << 20)
                + " MiB max heap, " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version");
    }

    /** Until the JIT compiles less than 2% of the time over 10 s, at most five minutes. */
    static void awaitQuietJit(CompilationMXBean jit) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        long compiled = jit.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofSeconds(10).toNanos());
            long now = jit.getTotalCompilationTime();
            if (now - compiled < 200) {
                return;
            }
            compiled = now;
        }
    }
}
