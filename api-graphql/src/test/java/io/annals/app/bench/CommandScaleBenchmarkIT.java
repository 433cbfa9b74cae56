package io.annals.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.app.AnnalsApplication;
import io.annals.app.ChildPlatform;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Commands per second as Annals grows past one process (see the README's "Past one machine: commands per second"):
 * {@code registerDataset} over GraphQL with eight connections into one process, then split over two processes on
 * the same event store, beside raw Axon {@code sendAndWait} of the same command in the first process, the ceiling,
 * all in one run. Off by default: {@code -Dannals.bench=true}. It prints the figures, the ratios and the machine.
 */
@EnabledIfSystemProperty(named = "annals.bench", matches = "true")
@SpringBootTest(classes = AnnalsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"annals.roles=command,query", "annals.security.tokens.bench=" + CommandScaleBenchmarkIT.TOKEN,
                "annals.security.roles.bench=admin"})
class CommandScaleBenchmarkIT {

    static final String TOKEN = "bench-token-0123456789abcdef";
    private static final Duration PHASE = Duration.ofSeconds(Long.getLong("annals.bench.seconds", 20));
    private static final int CLIENTS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger NAMES = new AtomicInteger();

    static {
        Machine.useStackDataDirectory("annals-bench-commands", System.getProperty("annals.bench.data-dir"));
    }

    @Autowired
    CommandGateway commands;
    @LocalServerPort
    int port;

    private final List<String> report = new ArrayList<>();

    /** Requests per second and latency percentiles of one phase. */
    private record Figures(double perSecond, double p50, double p99, int errors) {
    }

    /** Runs {@code request} from eight threads for the phase's length; each gets its thread's number. */
    private static Figures load(IntConsumer request) throws InterruptedException {
        long end = System.nanoTime() + PHASE.toNanos();
        List<long[]> latencies = new ArrayList<>();
        AtomicInteger errors = new AtomicInteger();
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
            }, "bench-client-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long[] all = latencies.stream().flatMapToLong(l -> Arrays.stream(l, 1, (int) l[0] + 1)).sorted().toArray();
        return new Figures(all.length / (double) PHASE.toSeconds(), all[all.length / 2] / 1e6,
                all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e6, errors.get());
    }

    private void line(String what, Figures f) {
        String text = String.format("%-44s %,8.0f commands/s   p50 %6.2f ms   p99 %7.2f ms%s", what, f.perSecond(),
                f.p50(), f.p99(), f.errors() > 0 ? "   (" + f.errors() + " errors)" : "");
        report.add(text);
        System.out.println(text);
    }

    private static void graphQl(HttpClient http, String url) {
        String body = "{\"query\":\"mutation($i: RegisterDatasetInput!) { registerDataset(input: $i) { errors { message } } }\","
                + "\"variables\":{\"i\":{\"name\":\"bench-" + System.nanoTime() + "-" + NAMES.incrementAndGet()
                + "\",\"columns\":[{\"name\":\"x\",\"type\":\"DOUBLE\"}]}}}";
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/graphql"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = JSON.readTree(response.body());
            if (response.statusCode() != 200 || !json.path("data").path("registerDataset").path("errors").isEmpty()) {
                throw new IllegalStateException(response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A second Annals process on the same stack that accepts commands (and runs nothing else). */
    private static ChildPlatform second(Path dir) throws IOException {
        return ChildPlatform.start(dir, "1g", List.of("--spring.config.import=file:" + Machine.stackProperties(),
                "--annals.stack.mode=external", "--annals.stack.data-dir=" + dir, "--annals.roles=command,api",
                "--server.port=0", "--annals.security.tokens.bench=" + TOKEN, "--annals.security.roles.bench=admin"));
    }

    @Test
    void commandsPerSecond() throws Exception {
        String first = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // warm both paths, then wait for the JIT to go quiet
        load(c -> commands.sendAndWait(Machine.registerDataset()));
        load(c -> graphQl(http, first));
        Machine.awaitQuietJit(ManagementFactory.getCompilationMXBean());

        Figures raw = load(c -> commands.sendAndWait(Machine.registerDataset()));
        line("raw Axon sendAndWait, 8 threads, 1 process", raw);
        Figures one = load(c -> graphQl(http, first));
        line("registerDataset over GraphQL, 8 conns, 1 proc", one);

        ChildPlatform process = second(Files.createTempDirectory("annals-bench-second"));
        try {
            String url = process.awaitReady(Duration.ofMinutes(4));
            load(c -> graphQl(http, c % 2 == 0 ? first : url));
            Figures two = load(c -> graphQl(http, c % 2 == 0 ? first : url));
            line("registerDataset over GraphQL, 8 conns, 2 procs", two);
            String ratios = String.format("GraphQL / raw Axon: %.0f%% with one process, %.0f%% with two (goal: at "
                    + "least 50%%); two processes / one: %.2f", 100 * one.perSecond() / raw.perSecond(),
                    100 * two.perSecond() / raw.perSecond(), two.perSecond() / one.perSecond());
            report.add(ratios);
            System.out.println(ratios);
            assertThat(one.errors() + two.errors()).as("refused commands").isZero();
        } finally {
            process.stop();
        }
        System.out.println("\n=== Commands per second, " + PHASE.toSeconds() + " s a phase, on " + Machine.describe()
                + "\n" + String.join("\n", report));
    }
}
