package io.annals.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.app.AnnalsApplication;
import io.annals.app.ChildPlatform;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Commands per second as Annals grows past one process (see the README's "Past one machine: commands per second"):
 * {@code registerDataset} over GraphQL with eight connections into one process, then split over two processes on
 * the same event store, beside raw Axon {@code sendAndWait} of the same command in the first process, the ceiling,
 * all in one run. Off by default: {@code -Dannals.bench=true}. It prints the figures, the ratios and the machine.
 */
@EnabledIfSystemProperty(named = "annals.bench", matches = "true")
@SpringBootTest(classes = AnnalsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"annals.roles=api,command,query", "annals.security.tokens.bench=" + CommandScaleBenchmarkIT.TOKEN,
                "annals.security.roles.bench=admin"})
class CommandScaleBenchmarkIT {

    static final String TOKEN = "bench-token-0123456789abcdef";
    private static final Duration PHASE = Duration.ofSeconds(Long.getLong("annals.bench.seconds", 30));
    /** How long every path is warmed up before anything is measured, in rounds of {@link #PHASE_OF_WARMUP}. */
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("annals.bench.warmup-seconds", 90));
    private static final Duration PHASE_OF_WARMUP = Duration.ofSeconds(10);
    /**
     * The longest a path is loaded, unmeasured, waiting for the JIT to go quiet under it before it is measured anyway
     * (and the report says so).
     */
    private static final Duration MOST_WARMUP_OF_A_PATH = Duration.ofSeconds(
            Long.getLong("annals.bench.max-warmup-seconds", 300));
    /**
     * A round of warm-up in which the compiler threads spent less than this share of its length compiling: the JIT is
     * quiet under that load.
     */
    private static final double QUIET_COMPILING = 0.1;
    /**
     * How many rounds in a row must be quiet: C2's work comes in bursts, and one quiet round was often followed by a
     * measured phase that compiled for seconds.
     */
    private static final int QUIET_ROUNDS = 2;
    /** How many times raw Axon and GraphQL are measured, one after the other. */
    private static final int PAIRS = Integer.getInteger("annals.bench.pairs", 3);
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private static final int CLIENTS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger NAMES = new AtomicInteger();

    static {
        Machine.useStackDataDirectory("annals-bench-commands", System.getProperty("annals.bench.data-dir"));
    }

    @Autowired
    CommandGateway commands;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ElasticsearchClient es;
    @Autowired
    EventProcessingConfiguration processing;
    @LocalServerPort
    int port;

    private final List<String> report = new ArrayList<>();
    /** The other Annals processes this benchmark started, whose CPU is counted apart. */
    private final Set<Long> children = new HashSet<>();

    /**
     * Requests per second and latency percentiles of one phase, and the commands per second counted until every event
     * processor of this process (projections, Kafka publisher, policies) had caught up with what the phase appended:
     * the rate the platform sustains, since a phase that leaves a backlog hands its work to the next.
     */
    private record Figures(double perSecond, double p50, double p99, int errors, double settledPerSecond,
            double machineBusy, double jvmCpuMillisEach, String cores, String elasticsearch, String threads,
            String postgres) {
    }

    /** Raw Axon's phase and the GraphQL phase measured right after it, and GraphQL's rates as shares of raw Axon's. */
    private record Pair(Figures raw, Figures graphQl) {
        double answered() {
            return graphQl.perSecond() / raw.perSecond();
        }

        double settled() {
            return graphQl.settledPerSecond() / raw.settledPerSecond();
        }
    }

    /** Busy and total jiffies of all cores since boot, from {@code /proc/stat} (zeros where there is none). */
    private static long[] machineJiffies() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private Figures load(IntConsumer request) throws InterruptedException {
        return load(request, PHASE);
    }

    /** Runs {@code request} from eight threads for {@code phase}; each gets its thread's number. */
    private Figures load(IntConsumer request, Duration phase) throws InterruptedException {
        long[] jiffies = machineJiffies();
        CpuShares shares = CpuShares.now(children);
        long[] esBefore = elasticsearchCounts();
        long[] pgBefore = postgresCounts();
        ThreadShares threadsBefore = ThreadShares.now();
        long start = System.nanoTime();
        long end = start + phase.toNanos();
        List<long[]> latencies = new ArrayList<>();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong clientCpu = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            int client = t;
            long[] mine = new long[1_000_000];
            int[] count = new int[1];
            latencies.add(mine);
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end && count[0] < mine.length - 1) {
                    long begin = System.nanoTime();
                    try {
                        request.accept(client);
                        mine[++count[0]] = System.nanoTime() - begin;
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                    }
                }
                mine[0] = count[0];
                clientCpu.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
            }, "bench-client-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long[] all = latencies.stream().flatMapToLong(l -> Arrays.stream(l, 1, (int) l[0] + 1)).sorted().toArray();
        if (all.length == 0) {
            throw new IllegalStateException("no request of the phase succeeded (" + errors.get() + " failed)");
        }
        awaitProcessorsCaughtUp();
        double settled = (System.nanoTime() - start) / 1e9;
        long[] after = machineJiffies();
        double busy = after[1] == jiffies[1] ? 0 : (after[0] - jiffies[0]) / (double) (after[1] - jiffies[1]);
        CpuShares used = CpuShares.now(children);
        return new Figures(all.length / (phase.toNanos() / 1e9), all[all.length / 2] / 1e6,
                all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e6, errors.get(),
                all.length / settled, busy, used.seconds(CpuShares.THIS_JVM, shares) * 1e3 / Math.max(1, all.length),
                used.since(shares), elasticsearchSince(esBefore, all.length),
                ThreadShares.now().perCommand(threadsBefore, all.length, clientCpu.get()), postgresSince(pgBefore, all.length));
    }

    /** Transactions committed, rows inserted and rows updated in this database since PostgreSQL started. */
    private long[] postgresCounts() {
        return jdbc.queryForObject("select xact_commit, tup_inserted, tup_updated from pg_stat_database "
                + "where datname = current_database()", (row, n) -> new long[] {row.getLong(1), row.getLong(2),
                row.getLong(3)});
    }

    /** PostgreSQL's work per command since {@code before} (its statistics lag by up to a second). */
    private String postgresSince(long[] before, int commands) {
        long[] now = postgresCounts();
        return String.format("PostgreSQL per command: %.2f transactions, %.2f rows inserted, %.2f rows updated",
                (now[0] - before[0]) / (double) Math.max(1, commands), (now[1] - before[1]) / (double) Math.max(1,
                commands), (now[2] - before[2]) / (double) Math.max(1, commands));
    }

    /** Searches, gets, documents indexed, bulk requests and refreshes Elasticsearch has done since it started. */
    private long[] elasticsearchCounts() {
        try {
            var stats = es.nodes().stats(s -> s.metric("indices")).nodes().values().iterator().next().indices();
            return new long[] {stats.search().queryTotal(), stats.get().total(), stats.indexing().indexTotal(),
                    stats.bulk() == null ? 0 : stats.bulk().totalOperations(), stats.refresh().total()};
        } catch (IOException | RuntimeException e) {
            return new long[5];
        }
    }

    private String elasticsearchSince(long[] before, int commands) {
        long[] now = elasticsearchCounts();
        String[] names = {"searches", "gets", "documents indexed", "bulk requests", "refreshes"};
        StringBuilder text = new StringBuilder("Elasticsearch per command:");
        for (int i = 0; i < names.length; i++) {
            text.append(String.format(" %.2f %s,", (now[i] - before[i]) / (double) Math.max(1, commands), names[i]));
        }
        return text.substring(0, text.length() - 1);
    }

    private void awaitProcessorsCaughtUp() {
        Machine.awaitProcessorsCaughtUp(jdbc, processing);
    }

    private void line(String what, Figures f, String warmed) {
        String text = String.format("%-46s %,7.0f/s   p50 %6.2f ms   p99 %7.2f ms   %,7.0f/s settled   "
                + "machine %3.0f%% busy, this JVM %.2f ms CPU each%s", what, f.perSecond(), f.p50(), f.p99(),
                f.settledPerSecond(), 100 * f.machineBusy(), f.jvmCpuMillisEach(),
                f.errors() > 0 ? "   (" + f.errors() + " errors)" : "") + "\n    " + warmed + "\n    " + f.cores()
                + "\n    " + f.threads()
                + "\n    " + f.postgres() + "\n    " + f.elasticsearch();
        report.add(text);
        System.out.println(text);
    }

    /**
     * The client's side of a GraphQL request: HTTP/1.1 over a plain kept-alive socket per client thread, the request's
     * bytes prepared apart from the variables, so that the client's own cost stays small beside the server's (the
     * JDK's {@code HttpClient} hands every exchange between its selector and worker threads, and on two cores that
     * cost more than the server's floor).
     */
    private static final class Client {
        private final ServingLoadClient.Connection connection;
        private final String head;
        private final StringBuilder body = new StringBuilder();

        Client(String url) {
            URI uri = URI.create(url);
            connection = new ServingLoadClient.Connection(uri.getHost(), uri.getPort());
            head = "POST /graphql HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\n";
        }

        /**
         * Opens the connection again, before a phase's clock starts: between phases the server closes connections
         * that stayed idle longer than its keep-alive timeout, and a request sent on one would fail.
         */
        void reopen() {
            connection.close();
            connection.connectNow();
        }

        JsonNode post(String json) {
            byte[] content = json.getBytes(StandardCharsets.UTF_8);
            byte[] request = (head + "Content-Length: " + content.length + "\r\n\r\n" + json)
                    .getBytes(StandardCharsets.UTF_8);
            body.setLength(0);
            int status = connection.exchange(request, body);
            if (body.isEmpty()) {
                throw new IllegalStateException(status + " without a body");
            }
            try {
                JsonNode answer = JSON.readTree(body.toString());
                if (status != 200 || answer.has("errors")
                        || !answer.path("data").path("registerDataset").path("errors").isEmpty()) {
                    throw new IllegalStateException(status + " " + body);
                }
                return answer;
            } catch (IOException e) {
                throw new IllegalStateException(status + " " + body, e);
            }
        }
    }

    /** One client per client thread and server: client {@code c} of a phase always uses {@code clients[c]}. */
    private static Client[] clients(String url) {
        Client[] clients = new Client[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            clients[c] = new Client(url);
        }
        return clients;
    }

    private static void reopen(Client[] clients) {
        for (Client client : clients) {
            client.reopen();
        }
    }

    private static void graphQl(Client client) {
        client.post("{\"query\":\"mutation($i: RegisterDatasetInput!) { registerDataset(input: $i) { errors { message } } }\","
                + "\"variables\":{\"i\":{\"name\":\"bench-" + System.nanoTime() + "-" + NAMES.incrementAndGet()
                + "\",\"columns\":[{\"name\":\"x\",\"type\":\"DOUBLE\"}]}}}");
    }

    /** The floor of the API: a query that reads nothing, through the same client, filters and GraphQL engine. */
    private static void typename(Client client) {
        client.post("{\"query\":\"mutation { __typename }\"}");
    }

    /** A second Annals process on the same stack that accepts commands (and runs nothing else). */
    private static ChildPlatform second(Path dir) throws IOException {
        return ChildPlatform.start(dir, "1g", List.of("--spring.config.import=file:" + Machine.stackProperties(),
                "--annals.stack.mode=external", "--annals.stack.data-dir=" + dir, "--annals.roles=command,api",
                "--server.port=0", "--annals.security.tokens.bench=" + TOKEN, "--annals.security.roles.bench=admin"));
    }

    /**
     * Loads {@code request}, unmeasured, in rounds of {@link #PHASE_OF_WARMUP} until the JIT has spent less than a
     * tenth of each of {@link #QUIET_ROUNDS} rounds in a row compiling (or {@link #MOST_WARMUP_OF_A_PATH} has passed),
     * so that the phase measured right after runs compiled code. On two busy cores the one C2 compiler thread gets
     * little of the machine; after a fixed warm-up of every path and a wait without load until the JIT was idle, the
     * measured phases still compiled for 23–32 s of 30 (Java Flight Recorder: C2 back to back, few deoptimisations).
     * So the phase follows its own warm-up at once.
     */
    private String warmUntilQuiet(IntConsumer request) throws InterruptedException {
        return warmUntilQuiet(request, JIT::getTotalCompilationTime);
    }

    /** The same, with {@code compiling} counting the milliseconds the JITs to watch have compiled so far. */
    private String warmUntilQuiet(IntConsumer request, LongSupplier compiling) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + MOST_WARMUP_OF_A_PATH.toNanos();
        long compiled;
        int quietRounds = 0;
        do {
            long before = compiling.getAsLong();
            load(request, PHASE_OF_WARMUP);
            compiled = compiling.getAsLong() - before;
            quietRounds = compiled <= QUIET_COMPILING * PHASE_OF_WARMUP.toMillis() ? quietRounds + 1 : 0;
        } while (quietRounds < QUIET_ROUNDS && System.nanoTime() < deadline);
        return String.format("after %d s of warm-up under this load%s (%d ms compiling in its last %d s)",
                Duration.ofNanos(System.nanoTime() - start).toSeconds(), quietRounds < QUIET_ROUNDS
                        ? ", the JIT still not quiet" : "", compiled, PHASE_OF_WARMUP.toSeconds());
    }

    @Test
    void commandsPerSecond() throws Exception {
        Client[] first = clients("http://127.0.0.1:" + port);
        IntConsumer raw = c -> commands.sendAndWait(Machine.registerDataset());
        IntConsumer mutation = c -> graphQl(first[c]);
        // every path once, so that what only one of them loads is loaded before anything is measured
        long warm = System.nanoTime() + WARMUP.toNanos();
        while (System.nanoTime() < warm) {
            load(raw, PHASE_OF_WARMUP);
            load(mutation, PHASE_OF_WARMUP);
            load(c -> typename(first[c]), PHASE_OF_WARMUP);
        }
        String floorWarmed = warmUntilQuiet(c -> typename(first[c]));
        reopen(first);
        line("{ __typename } over GraphQL (the API's floor)", load(c -> typename(first[c])), floorWarmed);

        // raw Axon and GraphQL measured in turns, each right after its own warm-up, so that neither is measured while
        // the JIT still compiles for it (or again for it, after the other's phase)
        List<Pair> pairs = new ArrayList<>();
        for (int pair = 1; pair <= PAIRS; pair++) {
            String rawWarmed = warmUntilQuiet(raw);
            Figures axon = load(raw);
            line("raw Axon sendAndWait, 8 threads, 1 process", axon, rawWarmed);
            String mutationWarmed = warmUntilQuiet(mutation);
            reopen(first);
            Figures graphQl = load(mutation);
            line("registerDataset over GraphQL, 8 conns, 1 proc", graphQl, mutationWarmed);
            Pair measured = new Pair(axon, graphQl);
            pairs.add(measured);
            ratio(String.format("pair %d of %d, GraphQL / raw Axon: %.0f%% answered, %.0f%% settled (goal: at least "
                    + "50%%)", pair, PAIRS, 100 * measured.answered(), 100 * measured.settled()));
        }
        double[] answered = pairs.stream().mapToDouble(Pair::answered).sorted().toArray();
        double[] settled = pairs.stream().mapToDouble(Pair::settled).sorted().toArray();
        ratio(String.format("GraphQL / raw Axon over %d pairs: median %.0f%% answered (%.0f–%.0f%%), %.0f%% settled "
                + "(goal: at least 50%%)", PAIRS, 100 * median(answered), 100 * answered[0],
                100 * answered[answered.length - 1], 100 * median(settled)));
        Figures lastRaw = pairs.get(pairs.size() - 1).raw();
        Figures one = pairs.get(pairs.size() - 1).graphQl();

        ChildPlatform process = second(Files.createTempDirectory("annals-bench-second"));
        children.add(process.process().pid());
        try {
            Client[] second = clients(process.awaitReady(Duration.ofMinutes(4)));
            // the second process has just started: both are warmed up under the split load until both JITs are
            // quiet (the other one's compiler threads watched by their CPU time)
            IntConsumer split = c -> graphQl(c % 2 == 0 ? first[c] : second[c]);
            long child = process.process().pid();
            String splitWarmed = warmUntilQuiet(split,
                    () -> JIT.getTotalCompilationTime() + CpuShares.compilerMillis(child));
            reopen(first);
            reopen(second);
            Figures two = load(split);
            line("registerDataset over GraphQL, 8 conns, 2 procs", two, splitWarmed);
            ratio(String.format("two processes / one: %.2f; two processes / raw Axon (last pair): %.0f%% answered, "
                    + "%.0f%% settled", two.perSecond() / one.perSecond(), 100 * two.perSecond() / lastRaw.perSecond(),
                    100 * two.settledPerSecond() / lastRaw.settledPerSecond()));
            long refused = two.errors() + pairs.stream().mapToLong(p -> p.raw().errors() + p.graphQl().errors()).sum();
            assertThat(refused).as("refused commands").isZero();
        } finally {
            process.stop();
        }
        System.out.println("\n=== Commands per second, " + PHASE.toSeconds() + " s a phase, on " + Machine.describe()
                + "\n" + String.join("\n", report));
    }

    private static double median(double[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private void ratio(String text) {
        report.add(text);
        System.out.println(text);
    }
}
