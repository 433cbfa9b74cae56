package io.annals.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.app.AnnalsApplication;
import io.annals.app.ChildPlatform;
import io.annals.command.api.common.KafkaTopics;
import io.annals.infra.clients.KafkaClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * How long a worker process takes to start as the history grows (see the README's "Past one machine"): a process
 * with the training, serving and drift roles is started on a short history and again after {@code
 * annals.bench.history} more events (100,000 by default), and timed to its ready line and to the moment each of its
 * workers has caught up with {@code annals.events}. Off by default: {@code -Dannals.bench=true}.
 */
@EnabledIfSystemProperty(named = "annals.bench", matches = "true")
@SpringBootTest(classes = AnnalsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"annals.roles=command,query"})
class WorkerStartBenchmarkIT {

    private static final int HISTORY = Integer.getInteger("annals.bench.history", 100_000);
    private static final Pattern REPLAYING = Pattern.compile("(\\S+): replaying annals\\.events from "
            + "(?:the beginning|its snapshot of \\S+) \\((?:(\\d+) events kept, )?(\\d+) events to catch up\\)");
    private static final Pattern SNAPSHOT_WRITTEN = Pattern.compile("Snapshot of (\\S+) written");
    private static final Pattern CAUGHT_UP = Pattern.compile("(\\S+): caught up after replaying (\\d+) events");

    static {
        Machine.useStackDataDirectory("annals-bench-start", System.getProperty("annals.bench.data-dir"));
    }

    @Autowired
    CommandGateway commands;
    @Autowired
    KafkaClients kafka;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventProcessingConfiguration processing;
    @LocalServerPort
    int port;

    private final List<String> report = new ArrayList<>();

    private long eventsOnKafka() {
        try (KafkaConsumer<String, byte[]> consumer = kafka.consumer("bench-start", null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(KafkaTopics.EVENTS).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Starts a worker process and times it: to its ready line, and until every worker in it has caught up; with
     * {@code snapshots}, it starts from the workers' snapshots and, when {@code awaitSnapshots}, stays until each of
     * its workers has written one.
     */
    private void timeStart(String label, boolean snapshots, boolean awaitSnapshots) throws Exception {
        timeStart(label, snapshots, awaitSnapshots, null, List.of());
    }

    /** The worker's arguments: where the stack is, its roles, where its commands go. */
    private List<String> workerArguments(Path dir, boolean snapshots) {
        return List.of("--spring.config.import=file:" + Machine.stackProperties(), "--annals.stack.mode=external",
                "--annals.stack.data-dir=" + dir, "--server.port=0",
                "--annals.roles=training-worker,serving-worker,drift-monitor",
                "--annals.command.url=http://127.0.0.1:" + port, "--annals.workers.snapshots.enabled=" + snapshots);
    }

    /** As above, from {@code jar} with these JVM options when it is not null, from the class path otherwise. */
    private void timeStart(String label, boolean snapshots, boolean awaitSnapshots, Path jar, List<String> jvmOptions)
            throws Exception {
        Path dir = Files.createTempDirectory("annals-bench-worker");
        long history = eventsOnKafka();
        long begin = System.nanoTime();
        ChildPlatform worker = jar == null ? ChildPlatform.start(dir, "1g", workerArguments(dir, snapshots))
                : ChildPlatform.startJar(dir, "1g", jvmOptions, jar, workerArguments(dir, snapshots));
        try {
            worker.awaitReady(Duration.ofMinutes(5));
            double ready = (System.nanoTime() - begin) / 1e9;
            await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                String log = Files.readString(worker.log());
                int replaying = count(REPLAYING, log);
                return replaying > 0 && count(CAUGHT_UP, log) == replaying;
            });
            double caughtUp = (System.nanoTime() - begin) / 1e9;
            String text = String.format("%-28s %,9d events on annals.events: ready in %5.1f s, every worker caught up "
                    + "in %6.1f s (%d streams)", label, history, ready, caughtUp,
                    count(REPLAYING, Files.readString(worker.log())));
            report.add(text);
            System.out.println(text);
            if (awaitSnapshots) {
                int streams = count(REPLAYING, Files.readString(worker.log()));
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                        count(SNAPSHOT_WRITTEN, Files.readString(worker.log())) >= streams);
            }
        } finally {
            worker.stop();
        }
    }

    /** The packaged jar (failsafe runs after it is built), extracted as the image does it: its application jar. */
    private static Path extractedJar() throws Exception {
        Path jar;
        try (var jars = Files.list(Path.of("target"))) {
            jar = jars.filter(p -> p.getFileName().toString().matches("annals-api-graphql-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no packaged jar in target/"));
        }
        Path into = Files.createTempDirectory("annals-bench-extracted");
        Process extract = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djarmode=tools", "-jar", jar.toAbsolutePath().toString(), "extract", "--destination",
                into.resolve("app").toString()).redirectErrorStream(true).start();
        String output = new String(extract.getInputStream().readAllBytes());
        assertThat(extract.waitFor()).as(output).isZero();
        return into.resolve("app").resolve(jar.getFileName());
    }

    private static int count(Pattern pattern, String log) {
        Matcher m = pattern.matcher(log);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private void appendHistory(int events) throws InterruptedException {
        AtomicInteger left = new AtomicInteger(events);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                while (left.getAndDecrement() > 0) {
                    commands.sendAndWait(Machine.registerDataset());
                }
            }, "bench-history-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    @Test
    void workerStartTime() throws Exception {
        timeStart("short history", true, false);
        long before = eventsOnKafka();
        long begin = System.nanoTime();
        appendHistory(HISTORY);
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> eventsOnKafka() >= before + HISTORY);
        System.out.printf("%,d events appended and published in %.1f s%n", HISTORY, (System.nanoTime() - begin) / 1e9);
        // this process's projections index the history too: they finish before any start is timed
        Machine.awaitProcessorsCaughtUp(jdbc, processing);
        String after = "after " + String.format("%,d", HISTORY) + " more";
        timeStart(after + ", no snapshot", false, false);
        timeStart(after + ", writing one", true, true);
        timeStart(after + ", from it", true, false);

        // as the image starts it (infra/deploy/annals-start.sh): the packaged jar extracted, without and then with a
        // class-data sharing archive written by a training start of the same roles
        Path app = extractedJar();
        timeStart(after + ", from it, jar", true, false, app, List.of());
        Path archive = app.resolveSibling("annals-workers.jsa");
        Path trainingDir = Files.createTempDirectory("annals-bench-cds");
        long training = System.nanoTime();
        ChildPlatform trainingStart = ChildPlatform.startJar(trainingDir, "1g", List.of("-XX:ArchiveClassesAtExit="
                + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-Dspring.context.exit=onRefresh"), app,
                workerArguments(trainingDir, true));
        assertThat(trainingStart.process().waitFor(5, TimeUnit.MINUTES)).as("the training start ends").isTrue();
        assertThat(archive).as(trainingStart.tail()).exists();
        report.add(String.format("(training start that wrote the %d MB archive: %.1f s)", Files.size(archive) >> 20,
                (System.nanoTime() - training) / 1e9));
        timeStart(after + ", from it, jar + CDS", true, false, app, List.of("-XX:SharedArchiveFile=" + archive,
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        System.out.println("\n=== Worker start (training, serving and drift roles) on " + Machine.describe() + "\n"
                + String.join("\n", report) + "\ngoal: under 5 s whatever the history's length");
    }
}
