package io.annals.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.app.AnnalsApplication;
import io.annals.app.demo.GraphQlClient;
import io.annals.workers.serving.DataPlaneServer;
import io.annals.workers.serving.ServedModel;
import io.annals.workers.serving.ServingRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Serving's speed on the embedded stack, in one run (see the README's "Benchmarks"): the floor, which is the raw
 * in-process DJL predict of the served model; the ceiling of the tail, the same client's requests to a bare HTTP
 * server ({@link RawHttpServer}); the server's fixed cost, a trivial route through the same token check;
 * single-row predict over the JSON API and the Open Inference Protocol at fixed arrival rates (open loop), on the
 * main port and on the data plane's own ({@link DataPlaneServer}); and 1,000-row batches in rows per second. The load comes from {@link ServingLoadClient} in a JVM of its own. Off by
 * default: {@code -Dannals.bench=true}. It prints the figures, their ratios to the floor, and the machine.
 */
@EnabledIfSystemProperty(named = "annals.bench", matches = "true")
@SpringBootTest(classes = AnnalsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"annals.security.tokens.bench=" + ServingBenchmarkIT.TOKEN,
                "annals.security.roles.bench=admin"})
class ServingBenchmarkIT {

    static final String TOKEN = "bench-token-0123456789abcdef";
    private static final String ENDPOINT = "bench-endpoint";
    private static final int FEATURES = 4;
    private static final String RATES = System.getProperty("annals.bench.rates", "250,500,1000,2000");
    private static final String SECONDS_PER_RATE = System.getProperty("annals.bench.seconds-per-rate", "20");
    private static final String WARMUP = System.getProperty("annals.bench.warmup-seconds", "60");
    /**
     * What is measured at each rate: the raw server (the machine's ceiling), the trivial route, then predict over each
     * API on the main port and on the data plane's ("-dp").
     */
    private static final List<String> KINDS = List.of("raw", "trivial", "trivial-dp", "json", "json-dp", "v2",
            "v2-dp");

    static {
        Machine.useStackDataDirectory("annals-serving-bench", null);
    }

    @LocalServerPort
    int port;
    @Autowired
    ServingRegistry registry;

    @Autowired
    MeterRegistry meters;
    @Autowired
    DataPlaneServer dataPlane;

    private final List<String> report = new ArrayList<>();

    @Test
    void serving() throws Exception {
        GraphQlClient client = new GraphQlClient("http://127.0.0.1:" + port, TOKEN);
        deployAModel(client);
        ServedModel model = registry.live(ENDPOINT).orElseThrow().targets().get(0).model();

        double[] floor = rawPredict(model, 1, 200_000);
        double[] rawBatch = rawPredict(model, 1_000, 2_000);
        line("floor: raw DJL predict", "1 row: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms (in-process, one thread, "
                + "after 200,000 warm-up calls)", floor[0], floor[1], floor[2]);
        line("raw DJL, 1,000 rows", "%,.0f rows/s (p50 %.3f ms a batch)", 1_000 / rawBatch[0] * 1_000,
                rawBatch[0]);

        Map<String, double[]> results = new LinkedHashMap<>();
        Map<String, double[]> batches = new LinkedHashMap<>();
        load(results, batches);

        String[] rates = RATES.split(",");
        for (String kind : KINDS) {
            for (String rate : rates) {
                double[] r = results.get(kind + " " + rate);
                double[] raw = results.get("raw " + rate);
                String versus = switch (kind) {
                    case "raw" -> "; the machine's ceiling for any server";
                    case "trivial", "trivial-dp" -> String.format(Locale.ROOT, "; p99 %.1f× the raw server's",
                            r[1] / raw[1]);
                    default -> String.format(Locale.ROOT, "; p50 %.1f× the floor, overhead %.3f ms over it (over the "
                            + "trivial route on the same port: %.3f ms); p99 %.1f× the raw server's", r[0] / floor[0],
                            r[0] - floor[0], r[0] - results.get((kind.endsWith("-dp") ? "trivial-dp " : "trivial ")
                            + rate)[0], r[1] / raw[1]);
                };
                line(kind + " @ " + rate + "/s", "p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms; achieved %,.0f/s, %d "
                        + "errors%s", r[0], r[1], r[2], r[3], (long) r[4], versus);
            }
        }
        for (var e : batches.entrySet()) {
            line(e.getKey() + " (1,000 rows)", "%,.0f rows/s, p50 %.2f ms a request; %.0f%% of the raw DJL rate, "
                    + "%d errors", e.getValue()[0], e.getValue()[1], 100 * e.getValue()[0] / (1_000 / rawBatch[0]
                    * 1_000), (long) e.getValue()[2]);
        }
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += gc.getCollectionCount();
            gcMillis += gc.getCollectionTime();
        }
        line("server JVM", "%s, %s; %d collections taking %,d ms since start",
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                        .toList(), ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("-Xm") || a.startsWith("-XX:+Use")).toList(), gcCount, gcMillis);

        System.out.println("\n== Annals serving benchmark ==\n" + String.join("\n", report)
                + "\nmachine: " + Machine.describe() + "; the platform, the embedded stack and the load client share "
                + "the machine\n");
        for (var e : results.entrySet()) {
            assertThat(e.getValue()[4]).as("errors of " + e.getKey()).isZero();
        }
    }

    /** A dataset of four normal features, a model trained on it, deployed and answering. */
    private void deployAModel(GraphQlClient client) throws IOException {
        client.execute("""
                mutation { registerDataset(input: {name: "bench-data", columns: [{name: "x1", type: DOUBLE},
                  {name: "x2", type: DOUBLE}, {name: "x3", type: DOUBLE}, {name: "x4", type: DOUBLE},
                  {name: "label", type: LONG}]}) { errors { message } } }""", Map.of());
        Random random = new Random(5);
        StringBuilder csv = new StringBuilder("x1,x2,x3,x4,label\n");
        for (int i = 0; i < 5_000; i++) {
            double[] x = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%d%n", x[0], x[1], x[2], x[3],
                    x[0] + 0.5 * x[1] - x[2] > 0 ? 1 : 0));
        }
        Path file = Files.createTempFile("bench", ".csv");
        Files.writeString(file, csv);
        GraphQlClient.Rest uploaded = client.postCsv("/v1/datasets/bench-data/batches?partition=p", file);
        assertThat(uploaded.status()).as(uploaded.body().toString()).isEqualTo(201);
        String batchId = uploaded.body().path("batchId").asText();
        JsonNode run = client.execute("""
                mutation($b: ID!) { requestTrainingRun(input: {model: "bench-model", task: BINARY_CLASSIFICATION,
                  batches: [{dataset: "bench-data", batchId: $b}], features: ["x1", "x2", "x3", "x4"],
                  label: "label", hyperparameters: {epochs: 5, hiddenUnits: [32, 16]}}) { runId errors { message } }
                }""", Map.of("b", batchId));
        String runId = run.path("requestTrainingRun").path("runId").asText();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> client.execute(
                "query($id: ID!) { trainingRun(id: $id) { modelVersion } }", Map.of("id", runId))
                .path("trainingRun").path("modelVersion").asInt() == 1);
        client.execute("""
                mutation { deployModel(input: {endpoint: "bench-endpoint", model: "bench-model", version: 1}) {
                  errors { message } } }""", Map.of());
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> client.postJson(
                "/v1/endpoints/" + ENDPOINT + "/predict", Map.of("rows", List.of(Map.of("x1", 0.1, "x2", 0.2,
                        "x3", 0.3, "x4", 0.4)))).status() == 200);
        line("model", "a binary classifier of %d features, hidden layers [32, 16], trained on 5,000 rows and "
                + "deployed", FEATURES);
    }

    /** p50, p99 and p99.9 in ms of {@code calls} in-process predicts of {@code rows} rows, after as many warm-ups. */
    private static double[] rawPredict(ServedModel model, int rows, int calls) throws Exception {
        Random random = new Random(1);
        Object[][] input = new Object[rows][FEATURES];
        for (Object[] row : input) {
            for (int f = 0; f < FEATURES; f++) {
                row[f] = (float) random.nextGaussian();
            }
        }
        for (int i = 0; i < calls; i++) {
            model.predict(input);
        }
        long[] times = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            model.predict(input);
            times[i] = System.nanoTime() - t0;
        }
        Arrays.sort(times);
        return new double[] {times[calls / 2] / 1e6, times[(int) (calls * 0.99)] / 1e6,
                times[(int) (calls * 0.999)] / 1e6};
    }

    /**
     * Runs the load client in a JVM of its own, and {@link RawHttpServer} in another; results by "kind rate" and
     * batch results by kind.
     */
    private void load(Map<String, double[]> results, Map<String, double[]> batches) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process raw = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                RawHttpServer.class.getName())).redirectErrorStream(true).start();
        try {
            String listening = new BufferedReader(new InputStreamReader(raw.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(listening).as("the raw server's first line").startsWith("port ");
            load(java, listening.substring(5), results, batches);
        } finally {
            raw.destroy();
        }
    }

    private void load(String java, String rawPort, Map<String, double[]> results, Map<String, double[]> batches)
            throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        Process client = new ProcessBuilder(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), ServingLoadClient.class.getName(), "127.0.0.1",
                Integer.toString(port), TOKEN, ENDPOINT, Integer.toString(FEATURES), WARMUP, SECONDS_PER_RATE, RATES,
                rawPort, Integer.toString(dataPlane.port()))).redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder output = new StringBuilder();
        String row = lines.readLine();
        for (; row != null && !row.equals("warm"); row = lines.readLine()) {
            output.append(row).append('\n');
        }
        if (row != null) {
            awaitScoresRead();
            Machine.awaitQuietJit(jit);
            client.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().flush();
        }
        for (row = lines.readLine(); row != null; row = lines.readLine()) {
            output.append(row).append('\n');
            System.out.println("load client: " + row);
            String[] f = row.trim().split(" ");
            if (f[0].equals("result") && f.length == 8) {
                results.put(f[1] + " " + f[2], new double[] {Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                        Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7])});
            } else if (f[0].equals("batch") && f.length == 5) {
                batches.put(f[1], new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                        Double.parseDouble(f[4])});
            }
        }
        assertThat(client.waitFor()).as(output.toString()).isZero();
        assertThat(results).as(output.toString()).hasSize(KINDS.size() * RATES.split(",").length);
    }

    /**
     * The warm-up scores hundreds of thousands of rows a second (its 1,000-row batches), far more than the measured
     * rates: the drift monitor reads them for a while after it ends, and its reading (and the JIT compiling for it)
     * would land on the first measured rates. This waits until the monitor has read every scored row — its row count
     * unchanged for two seconds, with no request being sent — so that the measured rates carry only their own load,
     * the monitor reading their rows included.
     */
    private void awaitScoresRead() {
        Counter read = meters.find("annals.drift.rows").counter();
        if (read == null) {
            line("drift monitor", "not running in this process: nothing to wait for");
            return;
        }
        long begin = System.nanoTime();
        double before = read.count();
        double last = -1;
        long stillSince = System.nanoTime();
        long deadline = begin + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            double now = read.count();
            if (now != last) {
                last = now;
                stillSince = System.nanoTime();
            } else if (System.nanoTime() - stillSince >= Duration.ofSeconds(2).toNanos()) {
                break;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        line("warm-up's scores", "the drift monitor read %,.0f rows in all, %,.0f of them in the %.1f s after the "
                + "warm-up ended", last, last - before, (System.nanoTime() - begin) / 1e9);
    }

    private void line(String what, String format, Object... args) {
        String text = String.format("%-28s ", what + ":") + String.format(Locale.ROOT, format, args);
        report.add(text);
        System.out.println(text);
    }
}
