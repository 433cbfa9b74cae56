package io.annals.app.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where a benchmark phase's CPU went, by process: this JVM, another Annals JVM it started, PostgreSQL,
 * Elasticsearch and the rest of the machine, from {@code /proc} (Linux; elsewhere every share is zero). A process
 * that ended during the phase is not counted.
 */
final class CpuShares {

    private static final long TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux this runs on
    static final String THIS_JVM = "this JVM";

    private final Map<String, Long> ticks;
    private final long nanos = System.nanoTime();

    private CpuShares(Map<String, Long> ticks) {
        this.ticks = ticks;
    }

    /** The CPU time each group of processes has used since it started. */
    static CpuShares now(Set<Long> annalsChildren) {
        long self = ProcessHandle.current().pid();
        Map<String, Long> ticks = new TreeMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), p ->
                p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path process : processes) {
                try {
                    long pid = Long.parseLong(process.getFileName().toString());
                    String stat = Files.readString(process.resolve("stat"));
                    ticks.merge(group(pid, self, annalsChildren, stat, process), usedTicks(stat), Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the process ended while it was read
                }
            }
        } catch (IOException e) {
            return new CpuShares(Map.of());
        }
        return new CpuShares(ticks);
    }

    /** User and system CPU time, in clock ticks, of a process's or thread's {@code stat} line. */
    private static long usedTicks(String stat) {
        // the command name is in parentheses and may hold spaces: the fields follow the last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The CPU time, in ms, the JIT compiler threads of process {@code pid} have used (0 where there is no /proc). */
    static long compilerMillis(long pid) {
        long used = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path thread : threads) {
                try {
                    if (Files.readString(thread.resolve("comm")).matches("(?s)C[12] Compiler.*")) {
                        used += usedTicks(Files.readString(thread.resolve("stat")));
                    }
                } catch (IOException | RuntimeException gone) {
                    // a compiler thread that ended since the listing
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return used * 1000 / TICKS_PER_SECOND;
    }

    private static String group(long pid, long self, Set<Long> annalsChildren, String stat, Path process)
            throws IOException {
        if (pid == self) {
            return THIS_JVM;
        }
        if (annalsChildren.contains(pid)) {
            return "other Annals JVM";
        }
        if (stat.contains("(postgres)")) {
            return "PostgreSQL";
        }
        String command = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8);
        return command.contains("org.elasticsearch") ? "Elasticsearch" : "rest of the machine";
    }

    /** CPU seconds the group used between {@code before} and this snapshot. */
    double seconds(String group, CpuShares before) {
        return (ticks.getOrDefault(group, 0L) - before.ticks.getOrDefault(group, 0L)) / (double) TICKS_PER_SECOND;
    }

    /** Cores used by each group between {@code before} and this snapshot, largest first. */
    String since(CpuShares before) {
        double elapsed = (nanos - before.nanos) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        ticks.keySet().forEach(group -> {
            double used = seconds(group, before);
            if (used > 0) {
                cores.put(group, used / elapsed);
            }
        });
        StringBuilder text = new StringBuilder("cores used:");
        cores.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> text.append(String.format(" %s %.2f,", e.getKey(), e.getValue())));
        return text.substring(0, text.length() - 1);
    }
}
