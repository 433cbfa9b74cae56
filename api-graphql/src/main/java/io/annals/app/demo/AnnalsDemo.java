package io.annals.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.workers.training.Metrics;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The whole model lifecycle against a running platform, through its public API only: register a dataset, ingest
 * batches (and see a bad one refused), train two versions with live epoch progress, deploy, send traffic, send
 * shifted traffic until a drift alert arrives on a subscription, roll back, and print lineage and audit; then define a
 * feature set of two windows over timestamped transactions, materialise a point-in-time training set, train on it,
 * deploy it, and trace the endpoint back to the raw batches; train and serve a three-class model with a categorical
 * feature and empty values; last, give a data scientist a token and see a rollback refused to it.
 *
 * <p>{@code AnnalsDemo --url http://127.0.0.1:8080 --token <token>}
 */
public final class AnnalsDemo {

    /** What the demo did and measured; the end-to-end test checks it. */
    public record Report(String dataset, String model, String endpoint, List<String> batchIds, List<String> runIds,
                         double servedAuc,
                         double servedAccuracy, double majorityAccuracy, String alertId, double alertPsi,
                         int rollbackRevision, int versionAfterRollback, double predictP50Millis,
                         double predictP99Millis, int singleRowRequests, double seconds, List<String> refusals,
                         long auditEvents, FeatureStory features, String accessRefusal, MultiClassStory segments,
                         PipelineStory pipeline) {
    }


    private final GraphQlClient api;
    private final PrintStream out;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    public AnnalsDemo(GraphQlClient api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:8080";
        String token = System.getenv("ANNALS_TOKEN");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--url" -> url = args[i + 1];
                case "--token" -> token = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: AnnalsDemo --url http://127.0.0.1:8080 --token <token>");
            }
        }
        if (token == null) {
            Path generated = Path.of("annals-data", "admin.token");
            if (!Files.exists(generated)) {
                throw new IllegalArgumentException("give --token (printed by the platform at start, kept in "
                        + "<data-dir>/admin.token) or set ANNALS_TOKEN");
            }
            token = Files.readString(generated).trim();
        }
        try {
            new AnnalsDemo(new GraphQlClient(url, token), System.out).run();
        } catch (IllegalStateException e) {
            System.err.println("\nThe demo stopped: " + e.getMessage());
            System.exit(1);
        }
    }

    public Report run() throws Exception {
        Path dir = Files.createTempDirectory("annals-demo");
        try {
            return run(dir);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private Report run(Path dir) throws Exception {
        long begin = System.nanoTime();
        String dataset = "credit-" + suffix;
        String model = "credit-risk-" + suffix;
        String endpoint = "credit-scoring-" + suffix;
        List<String> refusals = new ArrayList<>();

        step("1. Register dataset '" + dataset + "' with a typed schema");
        JsonNode registered = api.execute("""
                mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) {
                  dataset { name registeredAt } errors { code message } } }""", Map.of("input", Map.of("name", dataset,
                "description", "synthetic credit applications with a known default rule",
                "columns", List.of(col("utilisation", "DOUBLE"), col("income", "DOUBLE"),
                        col("late_payments", "LONG"), col("label", "LONG")))));
        requireNoErrors(registered.path("registerDataset"));

        step("2. Ingest two daily batches (streamed upload; SHA-256 and column statistics recorded)");
        String batch1 = upload(dataset, "2026-11-01", SyntheticData.csv(dir.resolve("day1.csv"), 4000, 1, 0));
        String batch2 = upload(dataset, "2026-11-02", SyntheticData.csv(dir.resolve("day2.csv"), 4000, 2, 0));
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, SyntheticData.HEADER + "\n0.1,0.2,1,0\n0.3,lots,0,1\n");
        GraphQlClient.Rest refused = api.postCsv("/v1/datasets/" + dataset + "/batches?partition=bad", bad);
        refusals.add(refused.body().path("message").asText());
        say("   a malformed batch is refused (HTTP %d): %s", refused.status(), refused.body().path("message").asText());

        step("3. Train version 1 on day 1, then version 2 on both days (DJL, PyTorch engine)");
        String run1 = train(model, List.of(batch1), dataset, 6, List.of(16, 8));
        String run2 = train(model, List.of(batch1, batch2), dataset, 6, List.of(32, 16));
        JsonNode bogus = api.execute("""
                mutation($input: RequestTrainingRunInput!) { requestTrainingRun(input: $input) {
                  runId errors { code message } } }""", Map.of("input", Map.of("model", model,
                "task", "BINARY_CLASSIFICATION", "batches", List.of(Map.of("dataset", dataset, "batchId", "missing")),
                "features", List.of("utilisation"), "label", "label")));
        String bogusMessage = bogus.path("requestTrainingRun").path("errors").path(0).path("message").asText();
        refusals.add(bogusMessage);
        say("   a run on a batch that does not exist is refused: %s", bogusMessage);
        awaitVersions(model, 2);

        step("4. Deploy version 1, then promote version 2 to champion and deploy the champion; drift monitor at "
                + "PSI 0.2 over windows of 200");
        deploy(endpoint, model, Map.of("version", 1), "first release");
        api.execute("""
                mutation($input: ConfigureDriftMonitorInput!) { configureDriftMonitor(input: $input) {
                  errors { code message } } }""", Map.of("input", Map.of("endpoint", endpoint, "psiThreshold", 0.2,
                "windowSize", 200)));
        api.execute("""
                mutation($input: AssignModelAliasInput!) { assignModelAlias(input: $input) { errors { message } } }""",
                Map.of("input", Map.of("model", model, "alias", "champion", "version", 2)));
        say("   alias 'champion' now points at version 2");
        deploy(endpoint, model, Map.of("alias", "champion"), "champion retrained on two days");
        awaitServing(endpoint, 2);
        JsonNode ghost = api.execute("""
                mutation($input: DeployModelInput!) { deployModel(input: $input) { errors { code message } } }""",
                Map.of("input", Map.of("endpoint", endpoint, "model", model, "version", 99)));
        String ghostMessage = ghost.path("deployModel").path("errors").path(0).path("message").asText();
        refusals.add(ghostMessage);
        say("   deploying a version that does not exist is refused: %s", ghostMessage);

        step("5. Live traffic: held-out rows, one per request, then in batches");
        Random heldOut = new Random(99);
        List<Double> latencies = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        int singles = 300;
        for (int i = 0; i < singles; i++) {
            double[] x = SyntheticData.row(heldOut, 0);
            long t0 = System.nanoTime();
            JsonNode response = predict(endpoint, List.of(x));
            latencies.add((System.nanoTime() - t0) / 1e6);
            scores.add((float) response.path("scores").path(0).asDouble());
            labels.add((float) x[3]);
        }
        for (int b = 0; b < 10; b++) {
            List<double[]> rows = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                rows.add(SyntheticData.row(heldOut, 0));
            }
            JsonNode response = predict(endpoint, rows);
            for (int i = 0; i < rows.size(); i++) {
                scores.add((float) response.path("scores").path(i).asDouble());
                labels.add((float) rows.get(i)[3]);
            }
        }
        float[] s = toArray(scores);
        float[] y = toArray(labels);
        double auc = Metrics.auc(s, y);
        double accuracy = Metrics.accuracy(s, y);
        double positives = labels.stream().filter(l -> l > 0.5f).count() / (double) labels.size();
        double majority = Math.max(positives, 1 - positives);
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double p50 = percentile(sorted, 0.50);
        double p99 = percentile(sorted, 0.99);
        say("   %d held-out rows scored by version 2: AUC %.3f (chance 0.5), accuracy %.3f (always-majority %.3f)",
                labels.size(), auc, accuracy, majority);
        say("   predict latency seen by this client, %d single-row requests: p50 %.2f ms, p99 %.2f ms", singles,
                p50, p99);

        step("6. The population shifts; waiting for the drift alert on the driftAlerts subscription and a webhook");
        String alertId;
        double psi;
        try (WebhookReceiver hook = WebhookReceiver.start();
             GraphQlClient.Subscription alerts = api.subscribe("""
                subscription { driftAlerts { id alertId endpoint model version feature test statistic pValue psi
                  threshold severity status } }""", Map.of())) {
            JsonNode webhook = api.execute("""
                    mutation($u: String!, $s: String!) { registerWebhook(input: {url: $u, secret: $s,
                      events: ["annals.DriftAlertRaised"]}) { webhook { id url } errors { code message } } }""",
                    Map.of("u", hook.url(), "s", hook.secret()));
            requireNoErrors(webhook.path("registerWebhook"));
            say("   webhook %s registered for annals.DriftAlertRaised (the API shows %s; the path and secret are sealed)",
                    webhook.path("registerWebhook").path("webhook").path("id").asText(),
                    webhook.path("registerWebhook").path("webhook").path("url").asText());
            Random shifted = new Random(7);
            JsonNode alert = null;
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            int sent = 0;
            while (alert == null && Instant.now().isBefore(deadline)) {
                List<double[]> rows = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    rows.add(SyntheticData.row(shifted, 1.5));
                }
                predict(endpoint, rows);
                sent += rows.size();
                JsonNode event = alerts.next(Duration.ofMillis(sent % 400 == 0 ? 1500 : 100));
                if (event != null && endpoint.equals(event.path("driftAlerts").path("endpoint").asText())) {
                    alert = event.path("driftAlerts");
                }
            }
            if (alert == null) {
                throw new IllegalStateException("no drift alert within 120 s after " + sent + " shifted rows");
            }
            alertId = alert.path("alertId").asText();
            psi = alert.path("psi").asDouble();
            String what = alert.path("feature").isNull() ? "the score" : "input '" + alert.path("feature").asText()
                    + "'";
            say("   alert %s (%s): %s of model %s version %d moved; %s %s against the threshold %s%s, after %d "
                    + "shifted rows", alertId, alert.path("severity").asText(), what, alert.path("model").asText(),
                    alert.path("version").asInt(), alert.path("test").asText(),
                    alert.path("pValue").isNull() ? String.format(Locale.ROOT, "%.3f", alert.path("statistic")
                            .asDouble()) : String.format(Locale.ROOT, "p = %.2g", alert.path("pValue").asDouble()),
                    alert.path("threshold").asText(), "PSI".equals(alert.path("test").asText()) ? ""
                            : String.format(Locale.ROOT, " (PSI %.3f)", psi), sent);
            WebhookReceiver.Delivery delivered = hook.await(endpoint, Duration.ofSeconds(30));
            if (delivered == null) {
                throw new IllegalStateException("the webhook received no drift alert of " + endpoint + " in 30 s");
            }
            say("   the webhook received %s for %s (a CloudEvent, X-Annals-Signature checked: %s)",
                    delivered.type(), delivered.subject(), delivered.signatureValid() ? "valid" : "INVALID");
            // the demo's receiver stops with the demo: the webhook goes with it (removed, it stays on record)
            requireNoErrors(api.execute("""
                    mutation($w: ID!) { removeWebhook(input: {webhook: $w}) { errors { code message } } }""",
                    Map.of("w", webhook.path("registerWebhook").path("webhook").path("id").asText()))
                    .path("removeWebhook"));
        }

        step("7. Roll back the endpoint: the previous revision is computed by replaying its events");
        JsonNode rollback = api.execute("""
                mutation($input: RollBackEndpointInput!) { rollBackEndpoint(input: $input) {
                  revision errors { code message } } }""", Map.of("input", Map.of("endpoint", endpoint,
                "reason", "drift alert " + alertId + " on version 2")));
        requireNoErrors(rollback.path("rollBackEndpoint"));
        int revision = rollback.path("rollBackEndpoint").path("revision").asInt();
        int served = awaitServing(endpoint, 1);
        say("   revision %d restores version 1; the endpoint now answers with version %d", revision, served);
        api.execute("""
                mutation($input: DriftAlertNoteInput!) { acknowledgeDriftAlert(input: $input) { errors { message } } }""",
                Map.of("input", Map.of("alertId", alertId, "note", "rolled back to version 1")));

        step("8. Lineage of version 1, what the newer batch touched, and the endpoint's audit trail");
        JsonNode lineage = api.execute("""
                query($model: String!) { lineage(model: $model, version: 1) {
                  modelVersion { version runId artifact { location sha256 } }
                  run { runId status requestedBy metrics { name value } }
                  batches { batchId dataset partition rows sha256 }
                  datasets { name registeredBy } } }""", Map.of("model", model)).path("lineage");
        say("   version %d <- run %s (%s, requested by %s)", lineage.path("modelVersion").path("version").asInt(),
                lineage.path("run").path("runId").asText(), lineage.path("run").path("status").asText(),
                lineage.path("run").path("requestedBy").asText());
        for (JsonNode b : lineage.path("batches")) {
            say("     <- batch %s of %s, partition %s, %d rows, sha256 %s…", b.path("batchId").asText(),
                    b.path("dataset").asText(), b.path("partition").asText(), b.path("rows").asLong(),
                    b.path("sha256").asText().substring(0, 12));
        }
        JsonNode serving = api.execute("""
                query($e: String!) { endpoint(name: $e) { servingLineage { modelVersion { version }
                  batches { batchId partition } } } }""", Map.of("e", endpoint)).path("endpoint")
                .path("servingLineage");
        say("   the endpoint serves version %d, trained on partition(s) %s",
                serving.path("modelVersion").path("version").asInt(), serving.path("batches").findValuesAsText(
                        "partition"));
        JsonNode impact = api.execute("""
                query($b: ID!) { batchImpact(batchId: $b) { runs { runId } modelVersions { version }
                  endpoints { endpoint servingNow revisions } } }""", Map.of("b", batch2)).path("batchImpact");
        for (JsonNode e : impact.path("endpoints")) {
            say("   batch of 2026-11-02 touched %d run(s), version(s) %s, endpoint %s revisions %s (serving now: %s)",
                    impact.path("runs").size(), impact.path("modelVersions").findValuesAsText("version"),
                    e.path("endpoint").asText(), e.path("revisions"), e.path("servingNow").asBoolean());
        }
        JsonNode audit = awaitAudit(endpoint, "annals.EndpointRolledBack");
        for (JsonNode e : audit.path("edges")) {
            JsonNode n = e.path("node");
            say("   %s  %-32s by %s", n.path("timestamp").asText(), n.path("type").asText(), n.path("actor").asText());
        }
        step("9. Feature sets: point-in-time training data from transactions, trained, deployed, traced");
        FeatureStory features = featureStory(dir);

        step("10. Beside the binary model, a three-class one, with a categorical feature and empty values");
        MultiClassStory segments = multiClassStory(dir);

        step("11. Who may do what: a data scientist's own token trains, but may not roll back an endpoint");
        String accessRefusal = accessStory(endpoint);

        step("12. Automation: a pipeline retrains when a new day's batch arrives, measures the candidate against the "
                + "champion on a held-out day, and promotes it through its gate");
        PipelineStory pipeline = pipelineStory(dir, dataset);

        long total = api.execute("{ auditEvents(first: 1) { totalCount } }", Map.of())
                .path("auditEvents").path("totalCount").asLong();
        double seconds = (System.nanoTime() - begin) / 1e9;
        say("\nDemo finished in %.1f s; %d events recorded in all.", seconds, total);
        say("Figures: demo %.1f s; predict p50 %.2f ms, p99 %.2f ms over %d single-row requests (client side, HTTP "
                + "and JSON included); measured on %s", seconds, p50, p99, singles, machine());
        String console = api.base() + "/ui/";
        say("\nSee it in the console (sign in with the same token):%n  %smodels/%s%n  %slineage/%s/2%n  %sendpoints/%s"
                + "%n  %salerts?endpoint=%s%n  %saudit?entityKind=endpoint&entityId=%s", console, model, console, model,
                console, endpoint, console, endpoint, console, endpoint);
        return new Report(dataset, model, endpoint, List.of(batch1, batch2), List.of(run1, run2), auc, accuracy,
                majority, alertId, psi, revision, served, p50, p99, singles, seconds, refusals, total, features,
                accessRefusal, segments, pipeline);
    }

    /** What the pipeline part of the demo made. */
    public record PipelineStory(String pipeline, String runId, String status, String triggeringBatch,
                                String model, int candidate, double candidateAuc, String endpoint, int revision) {
    }

    /**
     * A pipeline on the credit dataset: it trains on partition 2026-11-03 whenever a batch lands there, evaluates on
     * the held-out 2026-11-02, gates on AUC and log loss, and deploys the winner. The upload of day 3 starts its run.
     */
    private PipelineStory pipelineStory(Path dir, String dataset) throws Exception {
        String pipeline = "credit-nightly-" + suffix;
        String model = "credit-auto-" + suffix;
        String endpoint = "credit-auto-scoring-" + suffix;
        requireNoErrors(api.execute("""
                mutation($input: RegisterPipelineInput!) { registerPipeline(input: $input) {
                  version errors { code message } } }""", Map.of("input", Map.of("name", pipeline, "model", model,
                "trainingSpec", Map.of("task", "BINARY_CLASSIFICATION",
                        "features", List.of("utilisation", "income", "late_payments"), "label", "label",
                        "hyperparameters", Map.of("epochs", 6, "hiddenUnits", List.of(16, 8))),
                "inputs", List.of(Map.of("dataset", dataset, "partitions", List.of("2026-11-03"))),
                "trigger", Map.of("onNewBatch", true),
                "gate", Map.of("heldOut", Map.of("dataset", dataset, "partition", "2026-11-02"),
                        "rules", List.of(Map.of("metric", "auc", "margin", 0.005), Map.of("metric", "logLoss"))),
                "deployment", Map.of("alias", "champion", "endpoint", endpoint)))).path("registerPipeline"));
        say("   pipeline %s: train %s on partition 2026-11-03 of %s; gate: AUC >= champion's + 0.005, log loss no "
                + "worse, on held-out 2026-11-02; deploy to %s", pipeline, model, dataset, endpoint);
        String batch = upload(dataset, "2026-11-03", SyntheticData.csv(dir.resolve("day3.csv"), 4000, 3, 0));
        String runId = pipeline + "#1";
        JsonNode run = null;
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            run = api.execute("""
                    query($id: ID!) { pipelineRun(id: $id) { id status reason candidate champion revision
                      causes { kind batchId } steps { step status startedAt finishedAt }
                      candidateMetrics { name value } gate { passed } } }""", Map.of("id", runId)).path("pipelineRun");
            if (!run.isMissingNode() && !run.isNull() && !"RUNNING".equals(run.path("status").asText())) {
                break;
            }
            Thread.sleep(500);
        }
        if (run == null || run.isNull() || "RUNNING".equals(run.path("status").asText())) {
            throw new IllegalStateException("pipeline run " + runId + " did not finish in 3 minutes: " + run);
        }
        say("   the upload of %s triggered run %s (%s): %s", batch, runId,
                run.path("causes").path(0).path("kind").asText(), run.path("status").asText());
        for (JsonNode step : run.path("steps")) {
            if (step.path("startedAt").isNull() || step.path("startedAt").isMissingNode()) {
                continue; // a step this pipeline does not have (materialising) or that was skipped
            }
            say("     %-8s %-9s %s -> %s", step.path("step").asText(), step.path("status").asText(),
                    step.path("startedAt").asText(), step.path("finishedAt").asText());
        }
        double auc = 0;
        for (JsonNode m : run.path("candidateMetrics")) {
            if (m.path("name").asText().equals("auc")) {
                auc = m.path("value").asDouble();
            }
        }
        say("   candidate: version %d, AUC %.3f on the held-out day (no champion yet, so the gate passes); %s "
                + "serves it as revision %d, deployed by service:pipeline/%s", run.path("candidate").asInt(), auc,
                endpoint, run.path("revision").asInt(), pipeline);
        return new PipelineStory(pipeline, runId, run.path("status").asText(), batch, model,
                run.path("candidate").asInt(), auc, endpoint, run.path("revision").asInt());
    }

    /** What the multi-class part of the demo made and measured. */
    public record MultiClassStory(String model, String endpoint, double accuracy, double macroF1,
                                  double servedAccuracy, List<String> classes) {
    }

    /**
     * Customers in three segments, decided by income and utilisation and shifted by region (a STRING feature); a
     * fifth of the incomes are empty. Trained as a multi-class model, deployed, and asked about held-out customers.
     */
    private MultiClassStory multiClassStory(Path dir) throws Exception {
        String dataset = "segments-" + suffix;
        String model = "segment-" + suffix;
        String endpoint = "segmenting-" + suffix;
        requireNoErrors(api.execute("""
                mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) { errors { code message } } }""",
                Map.of("input", Map.of("name", dataset, "columns", List.of(col("income", "DOUBLE", true),
                        col("utilisation", "DOUBLE"), col("region", "STRING"), col("segment", "STRING")))))
                .path("registerDataset"));
        Random random = new Random(2026);
        String[] regions = {"north", "south", "east", "west"};
        StringBuilder csv = new StringBuilder("income,utilisation,region,segment\n");
        List<Map<String, Object>> heldOut = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            double income = random.nextGaussian();
            double utilisation = random.nextGaussian();
            String region = regions[random.nextInt(regions.length)];
            boolean noIncome = random.nextInt(5) == 0;
            String segment = segment(noIncome ? 0 : income, utilisation, region);
            if (i < 3500) {
                csv.append(noIncome ? "" : String.format(Locale.ROOT, "%.4f", income)).append(',')
                        .append(String.format(Locale.ROOT, "%.4f", utilisation)).append(',').append(region)
                        .append(',').append(segment).append('\n');
            } else {
                Map<String, Object> row = new HashMap<>();
                row.put("income", noIncome ? null : income);
                row.put("utilisation", utilisation);
                row.put("region", region);
                heldOut.add(row);
                truth.add(segment);
            }
        }
        Path file = dir.resolve("segments.csv");
        Files.writeString(file, csv);
        String batch = upload(dataset, "2026-11", file);
        String runId = train(model, "MULTICLASS_CLASSIFICATION", Map.of("batches", List.of(Map.of("dataset", dataset,
                "batchId", batch))), List.of("income", "utilisation", "region"), "segment", 10, List.of(32, 16));
        JsonNode run = api.execute("query($id: ID!) { trainingRun(id: $id) { metrics { name value } } }",
                Map.of("id", runId)).path("trainingRun");
        Map<String, Double> metrics = new LinkedHashMap<>();
        run.path("metrics").forEach(m -> metrics.put(m.path("name").asText(), m.path("value").asDouble()));
        say("   validation: accuracy %.3f, macro F1 %.3f, log loss %.3f; one-vs-rest AUC %s",
                metrics.get("accuracy"), metrics.get("macroF1"), metrics.get("logLoss"),
                metrics.entrySet().stream().filter(e -> e.getKey().startsWith("auc.")).map(e -> String.format(
                        Locale.ROOT, "%s %.3f", e.getKey().substring(4), e.getValue())).toList());
        awaitVersions(model, 1);
        deploy(endpoint, model, Map.of("version", 1), "first segment model");
        GraphQlClient.Rest answer = null;
        for (int i = 0; i < 300 && (answer == null || answer.status() != 200); i++) {
            answer = api.postJson("/v1/endpoints/" + endpoint + "/predict", Map.of("rows", heldOut));
            if (answer.status() != 200) {
                Thread.sleep(100);
            }
        }
        if (answer.status() != 200) {
            throw new IllegalStateException("the segment endpoint did not answer: " + answer.body());
        }
        JsonNode body = answer.body();
        int right = 0;
        for (int i = 0; i < truth.size(); i++) {
            right += body.path("predicted").path(i).asText().equals(truth.get(i)) ? 1 : 0;
        }
        List<String> classes = new ArrayList<>();
        body.path("classes").forEach(c -> classes.add(c.asText()));
        double served = (double) right / truth.size();
        say("   %d held-out customers (a fifth without income): %.1f%% placed in their segment; classes %s",
                truth.size(), 100 * served, classes);
        say("   first answer: predicted %s with probabilities %s", body.path("predicted").path(0).asText(),
                body.path("probabilities").path(0));
        return new MultiClassStory(model, endpoint, metrics.get("accuracy"), metrics.get("macroF1"), served, classes);
    }

    private static String segment(double income, double utilisation, String region) {
        double score = income - utilisation + (region.equals("north") ? 0.8 : region.equals("south") ? -0.8 : 0);
        return score > 0.7 ? "prime" : score > -0.7 ? "near-prime" : "subprime";
    }

    /**
     * An administrator gives a new principal the data-scientist role and a token; with it, a rollback is refused
     * with FORBIDDEN naming the permission, and the grant is in the audit log. Returns the refusal's message.
     */
    private String accessStory(String endpoint) throws InterruptedException {
        String scientist = "user:scientist-" + suffix;
        requireNoErrors(api.execute("""
                mutation($input: RoleInput!) { grantRole(input: $input) { errors { code message } } }""",
                Map.of("input", Map.of("principal", scientist, "role", "DATA_SCIENTIST"))).path("grantRole"));
        JsonNode created = api.execute("""
                mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) {
                  secret token { tokenId expiresAt } errors { code message } } }""",
                Map.of("input", Map.of("name", "demo", "expiresIn", "PT1H", "principal", scientist)))
                .path("createApiToken");
        requireNoErrors(created);
        say("   %s: role data-scientist, API token %s (expires %s; only its SHA-256 is recorded)", scientist,
                created.path("token").path("tokenId").asText(), created.path("token").path("expiresAt").asText());
        GraphQlClient asScientist = api.withToken(created.path("secret").asText());
        JsonNode refused = asScientist.response("""
                mutation($input: RollBackEndpointInput!) { rollBackEndpoint(input: $input) { revision } }""",
                Map.of("input", Map.of("endpoint", endpoint, "reason", "trying"))).path("errors").path(0);
        String message = refused.path("message").asText();
        say("   rollBackEndpoint as %s -> %s: %s", scientist,
                refused.path("extensions").path("classification").asText(), message);
        JsonNode grant = awaitAudit(scientist, "annals.RoleGranted");
        for (JsonNode e : grant.path("edges")) {
            JsonNode n = e.path("node");
            say("   audit: %s  %s of %s by %s", n.path("timestamp").asText(), n.path("type").asText(), scientist,
                    n.path("actor").asText());
        }
        return message;
    }

    /** What the feature-set part of the demo made. */
    public record FeatureStory(String featureSet, String trainingSetId, String model, String endpoint,
                               List<String> sourceBatches, String trainingSetBatch, long trainingSetRows) {
    }

    /**
     * Transactions and default labels with a time column; a feature set of two windows; a point-in-time training set
     * materialised by a worker; a model trained on it and deployed; and the lineage from the endpoint back to the raw
     * transactions.
     */
    private FeatureStory featureStory(Path dir) throws Exception {
        String transactions = "transactions-" + suffix;
        String labels = "defaults-" + suffix;
        String featureSet = "customer-spend-" + suffix;
        String model = "default-risk-" + suffix;
        String endpoint = "default-scoring-" + suffix;
        for (var dataset : List.of(Map.of("name", transactions, "description", "card transactions",
                        "columns", List.of(col("customer", "STRING"), col("at", "TIMESTAMP"), col("amount", "DOUBLE"))),
                Map.of("name", labels, "description", "defaults observed at an instant",
                        "columns", List.of(col("customer", "STRING"), col("as_of", "TIMESTAMP"),
                                col("defaulted", "LONG"))))) {
            requireNoErrors(api.execute("""
                    mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) {
                      errors { code message } } }""", Map.of("input", dataset)).path("registerDataset"));
        }
        String october = upload(transactions, "2026-10", SyntheticData.transactions(dir.resolve("tx.csv"), 400, 5));
        String labelBatch = upload(labels, "2026-11", SyntheticData.defaults(dir.resolve("defaults.csv"), 400, 3000,
                6));
        JsonNode registered = api.execute("""
                mutation($input: RegisterFeatureSetInput!) { registerFeatureSet(input: $input) { version
                  errors { code message } } }""", Map.of("input", Map.of("name", featureSet,
                "description", "what each customer spent, and how often", "owner", "team-credit",
                "source", Map.of("dataset", transactions), "entityKeys", List.of("customer"), "timestampColumn", "at",
                "features", List.of(
                        Map.of("name", "spend_7d", "column", "amount", "aggregation", "SUM", "window", "P7D"),
                        Map.of("name", "purchases_30d", "column", "amount", "aggregation", "COUNT",
                                "window", "P30D"))))).path("registerFeatureSet");
        requireNoErrors(registered);
        say("   feature set %s version %d: spend_7d = SUM(amount) over 7 days, purchases_30d = COUNT over 30 days",
                featureSet, registered.path("version").asInt());
        JsonNode materialized = api.execute("""
                mutation($input: MaterializeTrainingSetInput!) { materializeTrainingSet(input: $input) {
                  trainingSetId errors { code message } } }""", Map.of("input", Map.of("featureSet", featureSet,
                "version", 1, "name", "default-training-" + suffix, "labels", Map.of("dataset", labels,
                        "batchIds", List.of(labelBatch), "entityKeys", List.of("customer"),
                        "timestampColumn", "as_of", "labelColumn", "defaulted")))).path("materializeTrainingSet");
        requireNoErrors(materialized);
        String trainingSetId = materialized.path("trainingSetId").asText();
        JsonNode set = null;
        for (int i = 0; i < 600; i++) {
            set = api.execute("""
                    query($id: ID!) { trainingSet(id: $id) { status failureReason workerId
                      output { batchId rows sha256 } } }""", Map.of("id", trainingSetId)).path("trainingSet");
            if ("COMPLETED".equals(set.path("status").asText()) || "FAILED".equals(set.path("status").asText())) {
                break;
            }
            Thread.sleep(100);
        }
        if (set == null || !"COMPLETED".equals(set.path("status").asText())) {
            throw new IllegalStateException("training set " + trainingSetId + " did not complete: " + set);
        }
        String output = set.path("output").path("batchId").asText();
        long rows = set.path("output").path("rows").asLong();
        say("   training set %s materialised by %s: %d label rows, each with the features as of its own instant "
                + "(sha256 %s…)", trainingSetId, set.path("workerId").asText(), rows,
                set.path("output").path("sha256").asText().substring(0, 12));
        train(model, Map.of("trainingSet", trainingSetId), List.of("spend_7d", "purchases_30d"), "defaulted", 6,
                List.of(16, 8));
        awaitVersions(model, 1);
        deploy(endpoint, model, Map.of("version", 1), "trained on point-in-time features");
        JsonNode lineage = null;
        // the endpoint's, the training set's and the batches' read models each follow the log within moments
        for (int i = 0; i < 200 && (lineage == null || lineage.path("trainingSet").path("trainingSetId").isMissingNode()
                || lineage.path("sourceBatches").size() < 2 || lineage.path("batches").size() < 1); i++) {
            if (i > 0) {
                Thread.sleep(100);
            }
            lineage = api.execute("""
                    query($e: String!) { endpoint(name: $e) { servingLineage { modelVersion { model version }
                      run { runId } trainingSet { trainingSetId name } featureSetVersion { version source }
                      batches { batchId } sourceBatches { batchId dataset partition } } } }""",
                    Map.of("e", endpoint)).path("endpoint").path("servingLineage");
        }
        say("   endpoint %s serves %s version %d", endpoint, lineage.path("modelVersion").path("model").asText(),
                lineage.path("modelVersion").path("version").asInt());
        say("     <- run %s", lineage.path("run").path("runId").asText());
        say("     <- training set %s (batch %s of dataset %s)", lineage.path("trainingSet").path("trainingSetId")
                .asText(), lineage.path("batches").path(0).path("batchId").asText(), lineage.path("trainingSet")
                .path("name").asText());
        say("     <- feature set %s version %d over dataset %s", featureSet,
                lineage.path("featureSetVersion").path("version").asInt(),
                lineage.path("featureSetVersion").path("source").asText());
        List<String> sources = new ArrayList<>();
        for (JsonNode b : lineage.path("sourceBatches")) {
            sources.add(b.path("batchId").asText());
            say("     <- batch %s of %s, partition %s", b.path("batchId").asText(), b.path("dataset").asText(),
                    b.path("partition").asText());
        }
        if (!sources.contains(october) || !sources.contains(labelBatch)) {
            throw new IllegalStateException("the serving lineage does not reach the source batches: " + lineage);
        }
        return new FeatureStory(featureSet, trainingSetId, model, endpoint, sources, output, rows);
    }

    private String upload(String dataset, String partition, Path csv) throws Exception {
        GraphQlClient.Rest r = api.postCsv("/v1/datasets/" + dataset + "/batches?partition=" + partition, csv);
        if (r.status() != 201) {
            throw new IllegalStateException("upload failed: " + r.body());
        }
        say("   batch %s: %d rows, sha256 %s…, at %s", r.body().path("batchId").asText(),
                r.body().path("rows").asLong(), r.body().path("sha256").asText().substring(0, 12),
                r.body().path("location").asText());
        return r.body().path("batchId").asText();
    }

    private String train(String model, List<String> batches, String dataset, int epochs, List<Integer> hidden)
            throws Exception {
        return train(model, Map.of("batches", batches.stream().map(b -> Map.of("dataset", dataset, "batchId", b))
                .toList()), List.of("utilisation", "income", "late_payments"), "label", epochs, hidden);
    }

    /** @param source what to train on: {@code batches}, or a {@code trainingSet} */
    private String train(String model, Map<String, Object> source, List<String> features, String label, int epochs,
                         List<Integer> hidden) throws Exception {
        return train(model, "BINARY_CLASSIFICATION", source, features, label, epochs, hidden);
    }

    private String train(String model, String task, Map<String, Object> source, List<String> features, String label,
                         int epochs, List<Integer> hidden) throws Exception {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("model", model);
        input.put("task", task);
        input.putAll(source);
        input.put("features", features);
        input.put("label", label);
        input.put("hyperparameters", Map.of("epochs", epochs, "learningRate", 0.01, "batchSize", 64,
                "hiddenUnits", hidden));
        input.put("seed", 42);
        JsonNode requested = api.execute("""
                mutation($input: RequestTrainingRunInput!) { requestTrainingRun(input: $input) {
                  runId errors { code message } } }""", Map.of("input", input)).path("requestTrainingRun");
        requireNoErrors(requested);
        String runId = requested.path("runId").asText();
        say("   run %s requested; following it on the trainingProgress subscription", runId);
        try (GraphQlClient.Subscription progress = api.subscribe("""
                subscription($id: ID!) { trainingProgress(runId: $id) { status workerId failureReason
                  epochs { epoch of trainLoss validationLoss metrics { name value } } metrics { name value } } }""",
                Map.of("id", runId))) {
            int shown = 0;
            Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
            while (Instant.now().isBefore(deadline)) {
                JsonNode event = progress.next(Duration.ofSeconds(30));
                if (event == null) {
                    break;
                }
                JsonNode run = event.path("trainingProgress");
                for (JsonNode epoch : run.path("epochs")) {
                    if (epoch.path("epoch").asInt() > shown) {
                        shown = epoch.path("epoch").asInt();
                        say("     epoch %d/%d  train loss %.4f  validation loss %.4f  %s", shown,
                                epoch.path("of").asInt(), epoch.path("trainLoss").asDouble(),
                                epoch.path("validationLoss").asDouble(), metrics(epoch.path("metrics")));
                    }
                }
                String status = run.path("status").asText();
                if ("COMPLETED".equals(status)) {
                    say("   run completed on %s: %s", run.path("workerId").asText(), metrics(run.path("metrics")));
                    return runId;
                }
                if ("FAILED".equals(status)) {
                    throw new IllegalStateException("run " + runId + " failed: " + run.path("failureReason"));
                }
            }
        }
        throw new IllegalStateException("run " + runId + " did not finish in time");
    }

    /** The entity's audit trail, once it shows the given event type (the audit index trails the store). */
    private JsonNode awaitAudit(String entityId, String type) throws InterruptedException {
        JsonNode audit = null;
        for (int i = 0; i < 100; i++) {
            audit = api.execute("""
                    query($filter: AuditFilter) { auditEvents(filter: $filter, first: 50) { totalCount
                      edges { node { timestamp type actor } } } }""",
                    Map.of("filter", Map.of("entityId", entityId))).path("auditEvents");
            if (audit.path("edges").findValuesAsText("type").contains(type)) {
                return audit;
            }
            Thread.sleep(100);
        }
        return audit;
    }

    private void awaitVersions(String model, int versions) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            JsonNode m = api.execute("query($n: String!) { model(name: $n) { latestVersion } }", Map.of("n", model));
            if (m.path("model").path("latestVersion").asInt() >= versions) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("model " + model + " did not reach version " + versions);
    }

    /** Deploys a version given as {@code {"version": n}} or {@code {"alias": name}}. */
    private void deploy(String endpoint, String model, Map<String, Object> which, String reason) {
        Map<String, Object> input = new LinkedHashMap<>(which);
        input.put("endpoint", endpoint);
        input.put("model", model);
        input.put("reason", reason);
        JsonNode d = api.execute("""
                mutation($input: DeployModelInput!) { deployModel(input: $input) { revision errors { code message } } }""",
                Map.of("input", input));
        requireNoErrors(d.path("deployModel"));
        say("   endpoint %s revision %d: model %s %s (%s)", endpoint, d.path("deployModel").path("revision").asInt(),
                model, which, reason);
    }

    /** Waits until the endpoint answers with the version, and returns the version it answers with. */
    private int awaitServing(String endpoint, int version) throws InterruptedException {
        int last = -1;
        for (int i = 0; i < 300; i++) {
            GraphQlClient.Rest r = api.postJson("/v1/endpoints/" + endpoint + "/predict",
                    Map.of("rows", List.of(Map.of("utilisation", 0.0, "income", 0.0, "late_payments", 1))));
            if (r.status() == 200) {
                last = r.body().path("version").asInt();
                if (last == version) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("endpoint " + endpoint + " did not serve version " + version + " (last "
                + last + ")");
    }

    private JsonNode predict(String endpoint, List<double[]> rows) {
        List<Map<String, Object>> body = rows.stream().map(x -> Map.<String, Object>of("utilisation", x[0],
                "income", x[1], "late_payments", x[2])).toList();
        GraphQlClient.Rest r = api.postJson("/v1/endpoints/" + endpoint + "/predict", Map.of("rows", body));
        if (r.status() != 200) {
            throw new IllegalStateException("predict failed (" + r.status() + "): " + r.body());
        }
        return r.body();
    }

    private static void requireNoErrors(JsonNode payload) {
        if (payload.path("errors").size() > 0) {
            throw new IllegalStateException(payload.path("errors").toString());
        }
    }

    private static Map<String, Object> col(String name, String type) {
        return Map.of("name", name, "type", type);
    }

    private static Map<String, Object> col(String name, String type, boolean nullable) {
        return Map.of("name", name, "type", type, "nullable", nullable);
    }

    private static String metrics(JsonNode list) {
        StringBuilder s = new StringBuilder();
        for (JsonNode m : list) {
            s.append(m.path("name").asText()).append(' ')
                    .append(String.format(Locale.ROOT, "%.4f", m.path("value").asDouble())).append("  ");
        }
        return s.toString().trim();
    }

    private static float[] toArray(List<Float> values) {
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }

    static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String machine() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long memory = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : -1;
        return String.format(Locale.ROOT, "%d cores, %.1f GiB RAM, %s %s %s, Java %s",
                Runtime.getRuntime().availableProcessors(), memory / (1024.0 * 1024 * 1024), os.getName(),
                os.getVersion(), os.getArch(), System.getProperty("java.version"));
    }

    private void step(String title) {
        out.println();
        out.println(title);
    }

    private void say(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
    }

}
