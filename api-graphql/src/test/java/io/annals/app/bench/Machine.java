package io.annals.app.bench;

import io.annals.infra.stack.EmbeddedStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * What the benchmarks share: the embedded stack's data directory, the line that names the machine, and the wait for
 * the server's JIT to go quiet.
 */
final class Machine {

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
