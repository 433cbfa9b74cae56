package io.annals.workers.features;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.featureset.Aggregation;
import io.annals.command.api.featureset.FeatureSpec;
import io.annals.workers.ingest.CsvReader;
import io.annals.workers.storage.WorkDirectories;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The point-in-time join at the scale the README promises, run in a JVM of its own (the heap is the caller's
 * {@code -Xmx}): for a quarter and then all of {@code sourceRows} source rows over {@code keys} entities, and
 * {@code labelRows} label rows, four features of different windows. For each it prints the ceiling (reading and
 * parsing every source and label row once, nothing else), the join, their ratio, the largest heap in use after any
 * garbage collection during the join (memory that does not grow with the source rows), and the runs spilled to disk.
 * Arguments: sourceRows labelRows keys rowsInMemory.
 */
public final class JoinBenchmark {

    private static final AtomicLong LIVE_AFTER_GC = new AtomicLong();

    public static void main(String[] args) throws Exception {
        int sourceRows = Integer.parseInt(args[0]);
        int labelRows = Integer.parseInt(args[1]);
        int keys = Integer.parseInt(args[2]);
        int rowsInMemory = Integer.parseInt(args[3]);
        watchGarbageCollections();
        Path dir = Files.createTempDirectory("annals-join-bench");
        try {
            System.out.printf("machine: %d cores, %d MiB max heap, %s %s, Java %s%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                    System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
            for (int rows : new int[] {sourceRows / 4, sourceRows}) {
                run(dir, rows, labelRows, keys, rowsInMemory);
            }
        } finally {
            WorkDirectories.deleteTree(dir);
        }
    }

    private static void run(Path dir, int sourceRows, int labelRows, int keys, int rowsInMemory) throws IOException {
        Random random = new Random(42);
        Instant origin = Instant.parse("2026-01-01T00:00:00Z");
        int span = 90 * 86_400;
        List<Path> sources = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            Path file = dir.resolve("source-" + b + ".csv");
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.write("user,at,amount,items,city\n");
                for (int i = 0; i < sourceRows / 4; i++) {
                    out.write("user-" + random.nextInt(keys) + "," + origin.plusSeconds(random.nextInt(span)) + ","
                            + (random.nextInt(10) == 0 ? "" : Math.round(random.nextDouble() * 10_000) / 100.0) + ","
                            + random.nextInt(20) + ",city-" + random.nextInt(50) + "\n");
                }
            }
            sources.add(file);
        }
        Path labels = dir.resolve("labels.csv");
        try (BufferedWriter out = Files.newBufferedWriter(labels, StandardCharsets.UTF_8)) {
            out.write("uid,when,churned\n");
            for (int i = 0; i < labelRows; i++) {
                out.write("user-" + random.nextInt(keys) + "," + origin.plusSeconds(random.nextInt(span)) + ","
                        + random.nextInt(2) + "\n");
            }
        }
        DatasetSchema source = new DatasetSchema(List.of(new ColumnSpec("user", ColumnType.STRING, false),
                new ColumnSpec("at", ColumnType.TIMESTAMP, false), new ColumnSpec("amount", ColumnType.DOUBLE, true),
                new ColumnSpec("items", ColumnType.LONG, false), new ColumnSpec("city", ColumnType.STRING, false)));
        DatasetSchema label = new DatasetSchema(List.of(new ColumnSpec("uid", ColumnType.STRING, false),
                new ColumnSpec("when", ColumnType.TIMESTAMP, false), new ColumnSpec("churned", ColumnType.LONG,
                        false)));
        List<FeatureSpec> features = List.of(new FeatureSpec("spend_7d", "amount", Aggregation.SUM, "P7D"),
                new FeatureSpec("orders_30d", "amount", Aggregation.COUNT, "P30D"),
                new FeatureSpec("max_items_1d", "items", Aggregation.MAX, "P1D"),
                new FeatureSpec("last_city", "city", Aggregation.LAST, null));
        List<ColumnSpec> out = new ArrayList<>(label.columns());
        for (FeatureSpec f : features) {
            ColumnType type = source.column(f.column()).orElseThrow().type();
            out.add(new ColumnSpec(f.name(), f.aggregation().outputType(type), !f.aggregation().alwaysHasValue()));
        }
        JoinSpec spec = new JoinSpec(source, List.of("user"), "at", features, label, List.of("uid"), "when",
                "churned", new DatasetSchema(out));

        long begin = System.nanoTime();
        long parsed = 0;
        for (Path file : append(sources, labels)) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                CsvReader csv = new CsvReader(in);
                for (List<String> row = csv.next(); row != null; row = csv.next()) {
                    parsed += row.size();
                }
            }
        }
        double ceiling = (System.nanoTime() - begin) / 1e9;

        System.gc();
        LIVE_AFTER_GC.set(0);
        Path output = dir.resolve("out.csv");
        begin = System.nanoTime();
        PointInTimeJoin.Output result = new PointInTimeJoin(spec, dir, rowsInMemory, PointInTimeJoin.Progress.NONE)
                .run(sources, List.of(labels), output);
        double join = (System.nanoTime() - begin) / 1e9;
        if (result.rows() != labelRows) {
            throw new IllegalStateException("wrote " + result.rows() + " rows for " + labelRows + " labels");
        }
        System.out.printf("join: source=%d labels=%d keys=%d features=4 rowsInMemory=%d seconds=%.1f "
                        + "readOnlySeconds=%.1f ratio=%.1f liveHeapAfterGcMb=%d outputRows=%d fieldsRead=%d%n",
                sourceRows, labelRows, keys, rowsInMemory, join, ceiling, join / ceiling,
                LIVE_AFTER_GC.get() >> 20, result.rows(), parsed);
        Files.delete(output);
        for (Path file : append(sources, labels)) {
            Files.delete(file);
        }
    }

    private static List<Path> append(List<Path> sources, Path labels) {
        List<Path> all = new ArrayList<>(sources);
        all.add(labels);
        return all;
    }

    /** The most heap still in use right after a collection: what the join holds, not garbage. */
    private static void watchGarbageCollections() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                        (CompositeData) notification.getUserData());
                long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                        .mapToLong(MemoryUsage::getUsed).sum();
                LIVE_AFTER_GC.accumulateAndGet(used, Math::max);
            }, null, null);
        }
    }
}
