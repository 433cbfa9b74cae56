package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks against real HTTP receivers on loopback: signed CloudEvents in order per entity, every attempt on record,
 * a retry after a 500, a replay from a position, a receiver that never answers holding up nothing else, and the
 * refusals of what a webhook may not be.
 */
class WebhookTest extends PlatformTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "s3cr3t-0123456789-abcdef";

    /** A receiver: what it got (headers and raw body), answering with the status its policy gives each request. */
    private static final class Receiver implements AutoCloseable {
        record Received(Map<String, List<String>> headers, byte[] body, JsonNode event) {
        }

        final List<Received> received = new CopyOnWriteArrayList<>();
        final AtomicInteger requests = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();

        /** {@code status}: request number (1, 2, …) → status; 0 holds the request open until closed. */
        Receiver(IntUnaryOperator status) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hooks/annals", exchange -> answer(exchange, status));
            server.setExecutor(threads);
            server.start();
        }

        private void answer(HttpExchange exchange, IntUnaryOperator status) throws IOException {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body, JSON.readTree(body)));
            int code = status.applyAsInt(requests.incrementAndGet());
            if (code == 0) {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                code = 200;
            }
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/annals?token=private-part";
        }

        List<Received> about(String subject) {
            return received.stream().filter(r -> subject.equals(r.event().path("subject").asText())).toList();
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
            threads.shutdownNow();
        }
    }

    private final List<String> webhooks = new CopyOnWriteArrayList<>();

    @AfterEach
    void removeWebhooks() {
        for (String id : webhooks) {
            graphQl(TESTER_TOKEN).document("mutation($w: ID!) { removeWebhook(input: {webhook: $w}) { errors { code } } }")
                    .variable("w", id).execute();
        }
    }

    private String register(String url, List<String> events) {
        var answer = graphQl(TESTER_TOKEN).document("""
                        mutation($u: String!, $e: [String!]!, $s: String!) { registerWebhook(input: {url: $u, events: $e,
                          secret: $s}) { webhook { id url events active } errors { code message } } }""")
                .variable("u", url).variable("e", events).variable("s", SECRET).execute();
        answer.path("registerWebhook.errors").entityList(Object.class).hasSize(0);
        answer.path("registerWebhook.webhook.url").entity(String.class).satisfies(shown ->
                assertThat(shown).as("only scheme, host and port are shown").doesNotContain("private-part")
                        .startsWith("http://127.0.0.1:"));
        String id = answer.path("registerWebhook.webhook.id").entity(String.class).get();
        webhooks.add(id);
        return id;
    }

    private void registerDataset(String name) {
        graphQl(TESTER_TOKEN).document("""
                        mutation($n: String!) { registerDataset(input: {name: $n, columns: [{name: "x", type: DOUBLE}]}) {
                          errors { message } } }""").variable("n", name).execute()
                .path("registerDataset.errors").entityList(Object.class).hasSize(0);
    }

    private void ingestRows(String dataset, String csv) {
        graphQl(TESTER_TOKEN).document("""
                        mutation($n: String!, $csv: String!) { ingestBatch(input: {dataset: $n, partition: "p", csv: $csv}) {
                          errors { message } } }""").variable("n", dataset).variable("csv", csv).execute()
                .path("ingestBatch.errors").entityList(Object.class).hasSize(0);
    }

    private static String hmac(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private JsonNode deliveries(String webhook) {
        Map<?, ?> page = graphQl(TESTER_TOKEN).document("""
                        query($w: ID!) { webhook(id: $w) { deliveries(first: 100) { totalCount edges { node {
                          eventId eventType eventPosition subject attempt outcome httpStatus error replayId } } } } }""")
                .variable("w", webhook).execute().path("webhook.deliveries").entity(Map.class).get();
        return JSON.valueToTree(page);
    }

    @Test
    void givenAWebhookOnPipelineRuns_whenAPipelineRuns_thenItsStepsArriveSignedInOrderWithThePipelinesActor()
            throws Exception {
        String name = "hooked-pipeline-" + UUID.randomUUID().toString().substring(0, 8);
        graphQl(TESTER_TOKEN).document("""
                        mutation($n: String!) { registerDataset(input: {name: $n, columns: [{name: "x", type: DOUBLE},
                          {name: "label", type: LONG}]}) { errors { message } } }""").variable("n", name).execute()
                .path("registerDataset.errors").entityList(Object.class).hasSize(0);
        ingestRows(name, csv(100, 5));
        try (Receiver receiver = new Receiver(n -> 200)) {
            register(receiver.url(), List.of("annals.PipelineRunStarted", "annals.PipelineCandidateTrained",
                    "annals.PipelineGateDecided", "annals.PipelineRunFinished"));
            graphQl(TESTER_TOKEN).document("""
                            mutation($n: String!) { registerPipeline(input: {name: $n, model: $n,
                              trainingSpec: {task: BINARY_CLASSIFICATION, features: ["x"], label: "label",
                                hyperparameters: {epochs: 1, hiddenUnits: [2]}},
                              inputs: [{dataset: $n}]}) { errors { message } } }""").variable("n", name).execute()
                    .path("registerPipeline.errors").entityList(Object.class).hasSize(0);
            graphQl(TESTER_TOKEN).document("""
                            mutation($n: String!) { triggerPipeline(input: {pipeline: $n, note: "hooked"}) {
                              errors { message } } }""").variable("n", name).execute()
                    .path("triggerPipeline.errors").entityList(Object.class).hasSize(0);

            String subject = "pipeline:" + name;
            await().atMost(Duration.ofSeconds(90)).until(() -> receiver.about(subject).size() == 4);
            List<Receiver.Received> got = receiver.about(subject);
            assertThat(got).extracting(r -> r.event().path("type").asText()).containsExactly(
                    "annals.PipelineRunStarted", "annals.PipelineCandidateTrained", "annals.PipelineGateDecided",
                    "annals.PipelineRunFinished");
            for (Receiver.Received r : got) {
                assertThat(r.headers().get("X-annals-signature")).containsExactly(hmac(r.body()));
                assertThat(r.event().path("data").path("run").asInt()).isEqualTo(1);
            }
            assertThat(got.get(0).event().path("annalsactor").asText()).isEqualTo("user:tester");
            assertThat(got.get(3).event().path("annalsactor").asText()).isEqualTo("service:pipeline/" + name);
            assertThat(got.get(3).event().path("data").path("outcome").asText()).isEqualTo("PROMOTED");
        }
    }

    @Test
    void signedCloudEventsArriveInOrderPerEntity_everyAttemptIsRecorded_andAReplaySendsThemAgain() throws Exception {
        String dataset = "hooked-" + UUID.randomUUID().toString().substring(0, 8);
        try (Receiver receiver = new Receiver(n -> 200)) {
            String webhook = register(receiver.url(), List.of("annals.DatasetRegistered",
                    "annals.DatasetBatchIngested"));
            registerDataset(dataset);
            ingestRows(dataset, "x\n1.0\n");
            ingestRows(dataset, "x\n2.0\n");

            String subject = "dataset:" + dataset;
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.about(subject).size() == 3);
            List<Receiver.Received> got = receiver.about(subject);
            assertThat(got).extracting(r -> r.event().path("type").asText()).containsExactly(
                    "annals.DatasetRegistered", "annals.DatasetBatchIngested", "annals.DatasetBatchIngested");
            for (Receiver.Received r : got) {
                assertThat(r.headers().get("X-annals-signature")).containsExactly(hmac(r.body()));
                assertThat(r.headers().get("Content-type")).containsExactly("application/cloudevents+json; charset=utf-8");
                assertThat(r.event().path("specversion").asText()).isEqualTo("1.0");
                assertThat(r.event().path("source").asText()).isEqualTo("urn:annals");
                assertThat(r.event().path("id").asText()).isNotBlank();
                assertThat(r.event().path("time").asText()).isNotBlank();
                assertThat(r.event().path("annalsreplay").isMissingNode()).isTrue();
            }
            assertThat(got.get(0).event().path("data").path("name").asText()).isEqualTo(dataset);
            long firstPosition = got.get(0).event().path("annalsposition").asLong();
            assertThat(got.get(1).event().path("annalsposition").asLong()).isGreaterThan(firstPosition);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode attempts = deliveries(webhook);
                assertThat(attempts.path("edges").findValuesAsText("subject")).containsOnly(subject)
                        .hasSize(3);
                assertThat(attempts.path("edges").findValuesAsText("outcome")).containsOnly("DELIVERED");
                assertThat(attempts.path("edges").findValuesAsText("httpStatus")).containsOnly("200");
            });

            graphQl(TESTER_TOKEN).document("""
                            mutation($w: ID!, $p: Long!) { replayWebhook(input: {webhook: $w, fromPosition: $p}) {
                              webhook { replays { replayId fromPosition } } errors { message } } }""")
                    .variable("w", webhook).variable("p", firstPosition).execute()
                    .path("replayWebhook.errors").entityList(Object.class).hasSize(0)
                    .path("replayWebhook.webhook.replays[0].fromPosition").entity(Long.class).isEqualTo(firstPosition);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.about(subject).size() == 6);
            List<Receiver.Received> replayed = receiver.about(subject).subList(3, 6);
            assertThat(replayed).extracting(r -> r.event().path("id").asText())
                    .containsExactlyElementsOf(got.stream().map(r -> r.event().path("id").asText()).toList());
            assertThat(replayed).allSatisfy(r -> assertThat(r.event().path("annalsreplay").asText()).isNotBlank());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deliveries(webhook)
                    .path("edges").findValues("replayId")).filteredOn(id -> !id.isNull()).hasSize(3));

            // and from a time: the first event's
            graphQl(TESTER_TOKEN).document("""
                            mutation($w: ID!, $t: DateTime!) { replayWebhook(input: {webhook: $w, fromTime: $t}) {
                              errors { message } } }""")
                    .variable("w", webhook).variable("t", got.get(0).event().path("time").asText()).execute()
                    .path("replayWebhook.errors").entityList(Object.class).hasSize(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.about(subject).size() == 9);
            assertThat(receiver.about(subject).subList(6, 9)).extracting(r -> r.event().path("id").asText())
                    .containsExactlyElementsOf(got.stream().map(r -> r.event().path("id").asText()).toList());
        }
    }

    @Test
    void aReceiverAnswering500_getsTheSameEventAgain_andBothAttemptsAreOnRecord() throws Exception {
        String dataset = "retried-" + UUID.randomUUID().toString().substring(0, 8);
        try (Receiver receiver = new Receiver(n -> n == 1 ? 500 : 200)) {
            String webhook = register(receiver.url(), List.of("annals.DatasetRegistered"));
            registerDataset(dataset);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.about("dataset:" + dataset).size() == 2);
            List<Receiver.Received> got = receiver.about("dataset:" + dataset);
            assertThat(got.get(0).event().path("id").asText()).isEqualTo(got.get(1).event().path("id").asText());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode attempts = deliveries(webhook).path("edges");
                assertThat(attempts).hasSize(2);
                // newest first
                assertThat(attempts.get(0).path("node").path("outcome").asText()).isEqualTo("DELIVERED");
                assertThat(attempts.get(0).path("node").path("attempt").asInt()).isEqualTo(2);
                assertThat(attempts.get(1).path("node").path("outcome").asText()).isEqualTo("FAILED");
                assertThat(attempts.get(1).path("node").path("httpStatus").asInt()).isEqualTo(500);
                assertThat(attempts.get(1).path("node").path("error").asText()).contains("500");
            });
        }
    }

    @Test
    void aReceiverThatKeepsFailing_isTriedMaxAttemptsTimes_thenGivenUpOnWithTheRecordSaying() throws Exception {
        String dataset = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        try (Receiver receiver = new Receiver(n -> 503)) {
            String webhook = register(receiver.url(), List.of("annals.DatasetRegistered"));
            registerDataset(dataset);
            // annals.workers.webhooks.max-attempts is 4 in the tests
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deliveries(webhook)
                    .path("edges").findValuesAsText("outcome")).containsExactly("GAVE_UP", "FAILED", "FAILED",
                            "FAILED"));
            assertThat(receiver.about("dataset:" + dataset)).hasSize(4);
            assertThat(deliveries(webhook).path("edges").findValuesAsText("attempt"))
                    .containsExactly("4", "3", "2", "1");
        }
    }

    @Test
    void aReceiverThatNeverAnswers_holdsUpNeitherCommandsNorAnotherWebhook() throws Exception {
        String dataset = "hanging-" + UUID.randomUUID().toString().substring(0, 8);
        try (Receiver hanging = new Receiver(n -> 0); Receiver healthy = new Receiver(n -> 200)) {
            String stuck = register(hanging.url(), List.of("annals.DatasetRegistered", "annals.DatasetBatchIngested"));
            register(healthy.url(), List.of("annals.DatasetRegistered", "annals.DatasetBatchIngested"));
            registerDataset(dataset);
            await().atMost(Duration.ofSeconds(30)).until(() -> hanging.requests.get() >= 1);
            // while the first receiver holds its request open, commands go on and the other webhook keeps up
            ingestRows(dataset, "x\n1.0\n");
            ingestRows(dataset, "x\n2.0\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> healthy.about("dataset:" + dataset).size() == 3);
            assertThat(hanging.about("dataset:" + dataset)).as("still on its first event")
                    .extracting(r -> r.event().path("type").asText()).containsOnly("annals.DatasetRegistered");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deliveries(stuck)
                    .path("edges").findValuesAsText("error")).anySatisfy(e -> assertThat(e).contains("Timeout")));
        }
    }

    @Test
    void whatAWebhookMayNotBe_isRefusedWithItsReason() {
        graphQl(TESTER_TOKEN).document("""
                        mutation { registerWebhook(input: {url: "ftp://example.com/in", events: ["annals.DriftAlertRaised"],
                          secret: "0123456789abcdef"}) { webhook { id } errors { code message } } }""").execute()
                .path("registerWebhook.webhook").valueIsNull()
                .path("registerWebhook.errors[0].code").entity(String.class).isEqualTo("INVALID_INPUT")
                .path("registerWebhook.errors[0].message").entity(String.class)
                .satisfies(m -> assertThat(m).contains("http or https"));
        graphQl(TESTER_TOKEN).document("""
                        mutation { registerWebhook(input: {url: "https://example.com/in", events: ["annals.NoSuchEvent"],
                          secret: "0123456789abcdef"}) { errors { code message } } }""").execute()
                .path("registerWebhook.errors[0].code").entity(String.class).isEqualTo("INVALID_INPUT")
                .path("registerWebhook.errors[0].message").entity(String.class)
                .satisfies(m -> assertThat(m).contains("annals.NoSuchEvent").contains("annals.DriftAlertRaised"));
        graphQl(TESTER_TOKEN).document("""
                        mutation { registerWebhook(input: {url: "https://example.com/in", events: ["annals.DriftAlertRaised"],
                          secret: "short"}) { errors { code message } } }""").execute()
                .path("registerWebhook.errors[0].message").entity(String.class)
                .satisfies(m -> assertThat(m).contains("16 to 256"));
        graphQl(AUDITOR_TOKEN).document("""
                        mutation { registerWebhook(input: {url: "https://example.com/in", events: ["annals.DriftAlertRaised"],
                          secret: "0123456789abcdef"}) { errors { code } } }""").execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(e ->
                        assertThat(e.getExtensions()).containsEntry("classification", "FORBIDDEN")));
    }
}
