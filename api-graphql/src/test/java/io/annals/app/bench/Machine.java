package io.annals.app.bench;

import java.lang.management.CompilationMXBean;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** What the benchmarks share: the line that names the machine, and the wait for the server's JIT to go quiet. */
final class Machine {

    private Machine() {
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
