package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.annals.command.api.common.KafkaTopics;
import io.annals.infra.clients.KafkaClients;
import io.annals.infra.stack.EmbeddedStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole platform on the real embedded stack, shared by every test class of this JVM: Spring caches the
 * context, and the stack is started once per JVM.
 */
@SpringBootTest(classes = AnnalsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "annals.security.tokens.tester=" + PlatformTestSupport.TESTER_TOKEN,
                "annals.security.tokens.auditor=" + PlatformTestSupport.AUDITOR_TOKEN,
                "annals.security.roles.tester=admin",
                "annals.security.roles.auditor=viewer",
                "annals.security.jwt.issuer=" + PlatformTestSupport.SIGN_ON_ISSUER,
                "annals.security.jwt.audience=annals",
                "annals.security.jwt.role-mapping.ml-team=data-scientist",
                "annals.security.jwt.role-mapping.sre=deployer",
                "annals.workers.training.lease=PT30S",
                "annals.workers.webhooks.initial-backoff=PT0.2S",
                "annals.workers.webhooks.max-attempts=4",
                "annals.workers.webhooks.timeout=PT2S",
                // a test's stand-in for another query process keeps its segment: give up on it soon
                "annals.query.rebuild.handover=PT3S",
                // every rebuild in the tests spans many batches of its replay's lanes
                "annals.query.rebuild.replay-batch-size=7"})
public abstract class PlatformTestSupport {

    protected static final String TESTER_TOKEN = "tester-token-0123456789abcdef";
    static final String AUDITOR_TOKEN = "auditor-token-0123456789abcdef";
    static final String SIGN_ON_ISSUER = "https://sign-on.test.annals.io";
    /** The key pair of the test's own sign-on issuer; the platform trusts its public half. */
    static final KeyPair SIGN_ON_KEY = rsaKeyPair();

    static {
        // Elasticsearch runs as another user when tests run as root, so the data must not sit under a private
        // directory such as /root or a JUnit @TempDir.
        try {
            Path data = Files.createTempDirectory("annals-test-stack",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            System.setProperty("annals.stack.data-dir", data.toString());
            Path publicKey = data.resolve("sign-on-public-key.pem");
            Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64,
                    "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(SIGN_ON_KEY.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            System.setProperty("annals.security.jwt.public-key-location", publicKey.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                EmbeddedStack.stopShared();
                deleteTree(data);
            }, "annals-test-cleanup"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWT as a company's sign-on would issue it, signed with {@code key}. */
    static String signOnToken(KeyPair key, String subject, List<String> groups, String audience, Instant expires) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(SIGN_ON_ISSUER).subject(subject).audience(audience)
                .claim("groups", groups).issueTime(Date.from(expires.minusSeconds(3600)))
                .expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
                claims);
        try {
            jwt.sign(new RSASSASigner(key.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** Removes a test's stack data (Elasticsearch's files belong to its user, but root may delete them). */
    static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected KafkaClients kafka;

    @Autowired
    protected Environment env;

    protected String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** A port on loopback where nothing listens (it was free a moment ago). */
    protected static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** POSTs a JSON body to a path of this platform, with {@code Authorization: Bearer <token>} when there is one. */
    protected HttpResponse<String> postJson(String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpGraphQlTester graphQl(String token) {
        WebTestClient.Builder client = WebTestClient.bindToServer(new JdkClientHttpConnector())
                .baseUrl(baseUrl() + "/graphql").responseTimeout(Duration.ofSeconds(60));
        if (token != null) {
            client.defaultHeader("Authorization", "Bearer " + token);
        }
        return HttpGraphQlTester.create(client.build());
    }

    /** x is a standard normal; label = 1 when x > 0. */
    protected static String csv(int rows, long seed) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder("x,label\n");
        for (int i = 0; i < rows; i++) {
            double x = r.nextGaussian();
            s.append(x).append(',').append(x > 0 ? 1 : 0).append('\n');
        }
        return s.toString();
    }

    protected Map<String, Object> ingest(String dataset, String csv) {
        graphQl(TESTER_TOKEN).document("""
                        mutation($n: String!) { registerDataset(input: {name: $n, columns: [
                          {name: "x", type: DOUBLE}, {name: "label", type: LONG}]}) { errors { message } } }""")
                .variable("n", dataset).execute().path("registerDataset.errors").entityList(Object.class).hasSize(0);
        var answer = graphQl(TESTER_TOKEN).document("""
                        mutation($n: String!, $csv: String!) { ingestBatch(input: {dataset: $n, partition: "p", csv: $csv}) {
                          batch { batchId location sha256 rows } errors { message } } }""")
                .variable("n", dataset).variable("csv", csv).execute();
        answer.path("ingestBatch.errors").entityList(Object.class).hasSize(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> batch = answer.path("ingestBatch.batch").entity(Map.class).get();
        return batch;
    }

    protected String requestRun(String dataset, String batchId, String model) {
        return graphQl(TESTER_TOKEN).document("""
                        mutation($d: String!, $b: ID!, $m: String!) { requestTrainingRun(input: {model: $m,
                          task: BINARY_CLASSIFICATION, batches: [{dataset: $d, batchId: $b}], features: ["x"],
                          label: "label", hyperparameters: {epochs: 2, hiddenUnits: [4]}}) { runId errors { message } } }""")
                .variable("d", dataset).variable("b", batchId).variable("m", model).execute()
                .path("requestTrainingRun.runId").entity(String.class).get();
    }

    @SuppressWarnings("unchecked")
    protected Map<String, Object> awaitRun(String runId, String status) {
        Map<String, Object>[] run = new Map[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .untilAsserted(() -> {
            run[0] = graphQl(AUDITOR_TOKEN).document("""
                            query($id: ID!) { trainingRun(id: $id) { status workerId attempt failureReason } }""")
                    .variable("id", runId).execute().path("trainingRun").entity(Map.class).get();
            assertThat(run[0]).containsEntry("status", status);
        });
        return run[0];
    }

    /**
     * Events in the store, but for webhook delivery attempts, which the dispatcher records in the background whenever a
     * webhook a test left behind is sent an event: what a test that expects "no event" counts.
     */
    protected long storedEvents() {
        return jdbc.queryForObject("select count(*) from domainevententry where aggregateidentifier not like "
                + "'webhook-delivery:%'", Long.class);
    }

    /** Every event in the store: what the audit index and annals.events must hold. */
    protected long allStoredEvents() {
        return jdbc.queryForObject("select count(*) from domainevententry", Long.class);
    }

    /** One record of {@code annals.events}: its partition, offset, key and headers. */
    protected record KafkaEvent(int partition, long offset, String key, java.util.Map<String, String> headers) {
    }

    /** Every record on {@code annals.events}, read from the beginning. */
    protected List<KafkaEvent> kafkaEvents() {
        List<KafkaEvent> events = new java.util.ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records(KafkaTopics.EVENTS)) {
            java.util.Map<String, String> headers = new java.util.HashMap<>();
            r.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
            events.add(new KafkaEvent(r.partition(), r.offset(), r.key(), headers));
        }
        return events;
    }

    /** Every record on a topic, read from the beginning up to its end now. */
    protected List<ConsumerRecord<String, byte[]>> records(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = kafka.consumer("test-reader", null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }

    /** Distinct event ids on {@code annals.events}, read from the beginning. */
    protected long eventsOnKafka() {
        return kafkaEvents().stream().map(e -> e.headers().get(KafkaTopics.HEADER_EVENT_ID)).distinct().count();
    }
}
