package io.annals.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The latency client of {@link ReadSideBenchmarkIT}, in a JVM of its own so that its allocation, garbage collection
 * and JIT do not land on the server it times (as a client on another machine would not). One request at a time over
 * kept-alive {@link HttpURLConnection}s: a trivial GraphQL query (the floor), {@code lineage} of random versions and
 * {@code batchImpact} of the hot batch, and the same reads done straight against Elasticsearch's REST API. It repeats
 * every kind for {@code warmupSeconds}, prints {@code warm}, goes on repeating them until a line arrives on standard
 * input, then measures and prints one line per kind: {@code latency name p50 p99}.
 *
 * <p>Arguments: graphqlUrl token elasticsearchUrl models perModel hotBatch versionsAlias runsAlias batchesAlias
 * datasetsAlias warmupSeconds.
 */
public final class LatencyProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String graphQl;
    private final String authorization;
    private final String es;
    private final int models;
    private final int perModel;
    private final String hotBatch;
    private final String versions;
    private final String runs;
    private final String batches;
    private final String datasets;
    private final Random random = new Random(11);

    private LatencyProbe(String[] args) {
        graphQl = args[0];
        authorization = "Bearer " + args[1];
        es = args[2];
        models = Integer.parseInt(args[3]);
        perModel = Integer.parseInt(args[4]);
        hotBatch = args[5];
        versions = args[6];
        runs = args[7];
        batches = args[8];
        datasets = args[9];
    }

    public static void main(String[] args) {
        LatencyProbe probe = new LatencyProbe(args);
        long warmupNanos = Long.parseLong(args[10]) * 1_000_000_000L;
        Map<String, Runnable> kinds = new LinkedHashMap<>();
        kinds.put("me", () -> probe.graphQl("{ me }", "{}"));
        kinds.put("lineage-raw", probe::rawLineage);
        kinds.put("lineage", probe::lineage);
        kinds.put("batchImpact", probe::batchImpact);
        kinds.put("batchImpact-raw", probe::rawBatchImpact);
        // warm up for at least warmupSeconds, then until the harness says "go" on standard input (it waits for the
        // server's JIT to go quiet): what is measured is a warm server, as one that has served for hours would be
        long end = System.nanoTime() + warmupNanos;
        boolean announced = false;
        while (true) {
            kinds.values().forEach(Runnable::run);
            if (!announced && System.nanoTime() >= end) {
                System.out.println("warm");
                System.out.flush();
                announced = true;
            }
            if (announced && go()) {
                break;
            }
        }
        kinds.forEach((name, request) -> {
            double[] millis = time(name.startsWith("batchImpact") ? 500 : 1_000, request);
            System.out.printf("latency %s %.3f %.3f%n", name, millis[0], millis[1]);
        });
    }

    private static boolean go() {
        try {
            return System.in.available() > 0 && System.in.read() >= 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] time(int requests, Runnable request) {
        double[] millis = new double[requests];
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            request.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return new double[] {millis[requests / 2], millis[(int) Math.ceil(requests * 0.99) - 1]};
    }

    private String version() {
        return "bench-model-" + random.nextInt(models) + "#" + (1 + random.nextInt(perModel));
    }

    private void lineage() {
        String[] ref = version().split("#");
        graphQl("query($m: String!, $v: Int!) { lineage(model: $m, version: $v) { run { runId } "
                + "batches { batchId sha256 } datasets { name } } }", "{\"m\": \"" + ref[0] + "\", \"v\": " + ref[1]
                + "}");
    }

    private void batchImpact() {
        graphQl("query($b: ID!) { batchImpact(batchId: $b) { runs { runId status } modelVersions { model version } "
                + "endpoints { endpoint } } }", "{\"b\": \"" + hotBatch + "\"}");
    }

    /**
     * The version and its run without epochs (found by the version it became) in one {@code _msearch}, where the
     * platform makes the two reads side by side; then its batches and their datasets: the reads the platform makes.
     */
    private void rawLineage() {
        String[] ref = version().split("#");
        String both = "{\"index\": \"" + versions + "\"}\n{\"query\": {\"ids\": {\"values\": [\"" + ref[0] + "#" + ref[1]
                + "\"]}}}\n{\"index\": \"" + runs + "\"}\n{\"_source\": {\"excludes\": [\"epochs\"]}, \"query\": "
                + "{\"bool\": {\"filter\": [{\"term\": {\"model\": \"" + ref[0] + "\"}}, {\"term\": {\"modelVersion\": "
                + ref[1] + "}}]}}, \"sort\": [{\"runId\": \"asc\"}]}\n";
        JsonNode responses = call("POST", "/_msearch", both).path("responses");
        JsonNode run = responses.path(1).path("hits").path("hits").path(0).path("_source");
        if (!run.path("runId").asText().equals(responses.path(0).path("hits").path("hits").path(0).path("_source")
                .path("runId").asText())) {
            throw new IllegalStateException("no run became " + ref[0] + "#" + ref[1]);
        }
        List<String> batchIds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        run.path("batches").forEach(b -> {
            batchIds.add(b.path("batchId").asText());
            if (!names.contains(b.path("dataset").asText())) {
                names.add(b.path("dataset").asText());
            }
        });
        // the batches and their datasets in one request
        List<Map<String, String>> docs = new ArrayList<>();
        batchIds.forEach(id -> docs.add(Map.of("_index", batches, "_id", id)));
        names.forEach(name -> docs.add(Map.of("_index", datasets, "_id", name)));
        try {
            call("POST", "/_mget", JSON.writeValueAsString(Map.of("docs", docs)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The batch, and the fields of the runs that read it from doc values. */
    private void rawBatchImpact() {
        call("GET", "/" + batches + "/_doc/" + hotBatch, null);
        call("POST", "/" + runs + "/_search", "{\"size\": 10000, \"_source\": false, \"stored_fields\": \"_none_\", "
                + "\"query\": {\"term\": "
                + "{\"batches.batchId\": \"" + hotBatch + "\"}}, \"docvalue_fields\": [\"runId\", \"status\", "
                + "\"model\", \"modelVersion\"]}");
    }

    private void graphQl(String query, String variables) {
        try {
            JsonNode answer = post(graphQl, "{\"query\": " + JSON.writeValueAsString(query) + ", \"variables\": "
                    + variables + "}", authorization);
            if (answer.hasNonNull("errors")) {
                throw new IllegalStateException("GraphQL errors: " + answer.get("errors"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode call(String method, String path, String body) {
        try {
            if (body != null) {
                return post(es + path, body, null);
            }
            HttpURLConnection http = (HttpURLConnection) URI.create(es + path).toURL().openConnection();
            http.setRequestMethod(method);
            return read(http);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode post(String url, String body, String authorization) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpURLConnection http = (HttpURLConnection) URI.create(url).toURL().openConnection();
        http.setRequestMethod("POST");
        http.setDoOutput(true);
        http.setRequestProperty("Content-Type", "application/json");
        if (authorization != null) {
            http.setRequestProperty("Authorization", authorization);
        }
        http.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream out = http.getOutputStream()) {
            out.write(bytes);
        }
        return read(http);
    }

    private static JsonNode read(HttpURLConnection http) throws IOException {
        int status = http.getResponseCode();
        try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
            JsonNode answer = JSON.readTree(in);
            if (status >= 400) {
                throw new IllegalStateException("HTTP " + status + " from " + http.getURL() + ": " + answer);
            }
            return answer;
        }
    }
}
