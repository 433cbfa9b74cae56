package io.annals.app.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where this JVM's CPU went during a benchmark phase, by kind of thread: Tomcat's request threads, each event
 * processor, the benchmark's own client threads, the other Java threads by name, and what no Java thread accounts for
 * (the JIT's compilers, the collector, the VM's own threads). Another thread that ended during the phase is counted
 * under the last of these.
 */
final class ThreadShares {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String VM = "JIT, GC, VM";

    private final Map<Long, Long> byThread = new HashMap<>();
    private final Map<Long, String> groups = new HashMap<>();
    private final long process;
    private final long collections;
    private final long collectionMillis;
    private final long compilationMillis;
    private final long classesLoaded;

    private ThreadShares() {
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                byThread.put(info.getThreadId(), cpu);
                groups.put(info.getThreadId(), group(info.getThreadName()));
            }
        }
        process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += gc.getCollectionCount();
            millis += gc.getCollectionTime();
        }
        collections = count;
        collectionMillis = millis;
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        compilationMillis = jit == null ? 0 : jit.getTotalCompilationTime();
        classesLoaded = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
    }

    static ThreadShares now() {
        return new ThreadShares();
    }

    private static String group(String name) {
        if (name.startsWith("http-nio") && name.contains("-exec-")) {
            return "requests";
        }
        if (name.startsWith("EventProcessor[")) {
            return name.substring("EventProcessor[".length(), name.indexOf(']'));
        }
        if (name.startsWith("bench-client")) {
            return "client";
        }
        // the rest by name, numbers left out ("kafka-producer-network-thread | producer-1" and its kind together)
        return name.replaceAll("[0-9]+", "#");
    }

    /**
     * Milliseconds of CPU per command by group since {@code before}, largest first, groups under 0.005 ms left out;
     * {@code endedClients} is what the phase's client threads, which ended before this snapshot, used.
     */
    String perCommand(ThreadShares before, int commands, long endedClients) {
        Map<String, Long> nanos = new HashMap<>();
        nanos.put("client", endedClients);
        long threads = endedClients;
        for (var e : byThread.entrySet()) {
            long used = e.getValue() - before.byThread.getOrDefault(e.getKey(), 0L);
            threads += used;
            nanos.merge(groups.get(e.getKey()), used, Long::sum);
        }
        nanos.put(VM, Math.max(0, process - before.process - threads));
        Map<String, Double> each = new LinkedHashMap<>();
        nanos.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> each.put(e.getKey(), e.getValue() / 1e6 / Math.max(1, commands)));
        StringBuilder text = new StringBuilder("this JVM's CPU per command (ms):");
        each.forEach((group, ms) -> {
            if (ms >= 0.005) {
                text.append(String.format(" %s %.3f,", group, ms));
            }
        });
        return text.substring(0, text.length() - 1) + String.format("; %d collections taking %d ms, %d ms compiling "
                + "(elapsed, all compiler threads), %d classes loaded", collections - before.collections,
                collectionMillis - before.collectionMillis, compilationMillis - before.compilationMillis,
                classesLoaded - before.classesLoaded);
    }
}
