package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.app.demo.GraphQlClient;
import io.annals.app.security.RequestRules;
import io.annals.command.api.access.Role;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.drift.DriftAlertId;
import io.annals.command.api.drift.RaiseDriftAlert;
import io.annals.command.api.endpoint.DeployModelVersion;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.model.ModelName;
import io.annals.workers.port.CommandPort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.test.tester.GraphQlTester;

/**
 * Who may do what, through the public API on the real stack: every mutation, REST route and subscription against
 * every built-in role (allowed: it works; refused: {@code FORBIDDEN} naming the permission, and no event recorded
 * under that principal), pattern grants with DENY, access as of a past instant, API tokens that expire or are
 * revoked, sign-on JWTs, and the platform's own workers held to their roles.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessControlTest extends PlatformTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    CommandPort commands;

    /** The roles of the matrix; null is a principal with a token and no role at all. */
    private static final List<Role> WHO = new ArrayList<>();

    static {
        WHO.add(null);
        WHO.addAll(List.of(Role.VIEWER, Role.DATA_SCIENTIST, Role.DEPLOYER, Role.ADMIN));
    }

    private final Map<Role, String> tokens = new LinkedHashMap<>();
    private final Map<Role, String> ownTokenIds = new LinkedHashMap<>();
    private final Map<Role, String> webhookIds = new LinkedHashMap<>();
    private String noRoleToken;
    private String batchId;
    private String labelBatch;
    /** Two batches of partition acl-repoint: each writer points it at the one it does not point at. */
    private final List<String> repointBatches = new ArrayList<>();
    private String runId;

    private static String name(Role role) {
        return role == null ? "nobody" : role.id();
    }

    private static Actor principal(Role role) {
        return Actor.user("acl-" + name(role));
    }

    private String token(Role role) {
        return role == null ? noRoleToken : tokens.get(role);
    }

    private GraphQlTester.Response admin(String document) {
        return graphQl(TESTER_TOKEN).document(document).execute();
    }

    private String newToken(Actor principal, String name) {
        return graphQl(TESTER_TOKEN).document("""
                        mutation($p: String!, $n: String!) { createApiToken(input: {name: $n, principal: $p}) {
                          secret errors { message } } }""")
                .variable("p", principal.value()).variable("n", name).execute()
                .path("createApiToken.errors").entityList(Object.class).hasSize(0)
                .path("createApiToken.secret").entity(String.class).get();
    }

    @BeforeAll
    void principalsAndFixtures() {
        for (Role role : WHO) {
            if (role != null) {
                graphQl(TESTER_TOKEN).document("""
                                mutation($p: String!, $r: Role!) { grantRole(input: {principal: $p, role: $r}) {
                                  errors { message } } }""")
                        .variable("p", principal(role).value()).variable("r", role.name()).execute()
                        .path("grantRole.errors").entityList(Object.class).hasSize(0);
                tokens.put(role, newToken(principal(role), "matrix"));
            }
        }
        noRoleToken = newToken(principal(null), "matrix");

        Map<String, Object> batch = ingest("acl-data", csv(300, 11));
        batchId = (String) batch.get("batchId");
        runId = requestRun("acl-data", batchId, "acl-model");
        awaitRun(runId, "COMPLETED");
        awaitRun(requestRun("acl-data", batchId, "acl-model"), "COMPLETED");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                graphQl(AUDITOR_TOKEN).document("{ model(name: \"acl-model\") { latestVersion } }").execute()
                        .path("model.latestVersion").entity(Integer.class).isEqualTo(2));
        deploy("acl-live", 1);
        GraphQlClient client = new GraphQlClient(baseUrl(), TESTER_TOKEN);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.postJson("/v1/endpoints/acl-live/predict",
                Map.of("rows", List.of(Map.of("x", 0.5)))).status() == 200);

        admin("""
                mutation { registerDataset(input: {name: "acl-events", columns: [{name: "user", type: STRING},
                  {name: "at", type: TIMESTAMP}, {name: "amount", type: DOUBLE}]}) { errors { message } } }""");
        graphQl(TESTER_TOKEN).document("""
                        mutation($csv: String!) { ingestBatch(input: {dataset: "acl-events", partition: "p", csv: $csv}) {
                          errors { message } } }""")
                .variable("csv", "user,at,amount\nann,2026-03-01T10:00:00Z,10\n").execute()
                .path("ingestBatch.errors").entityList(Object.class).hasSize(0);
        admin("""
                mutation { registerDataset(input: {name: "acl-labels", columns: [{name: "uid", type: STRING},
                  {name: "when", type: TIMESTAMP}, {name: "y", type: LONG}]}) { errors { message } } }""");
        labelBatch = graphQl(TESTER_TOKEN).document("""
                        mutation($csv: String!) { ingestBatch(input: {dataset: "acl-labels", partition: "p", csv: $csv}) {
                          batch { batchId } } }""")
                .variable("csv", "uid,when,y\nann,2026-03-01T12:00:00Z,1\n").execute()
                .path("ingestBatch.batch.batchId").entity(String.class).get();
        admin("""
                mutation { registerFeatureSet(input: {name: "acl-fs", owner: "team", source: {dataset: "acl-events"},
                  entityKeys: ["user"], timestampColumn: "at",
                  features: [{name: "spend", column: "amount", aggregation: SUM, window: "P1D"}]}) {
                  errors { message } } }""").path("registerFeatureSet.errors").entityList(Object.class).hasSize(0);

        for (int i = 0; i < 2; i++) {
            repointBatches.add(graphQl(TESTER_TOKEN).document("""
                            mutation { ingestBatch(input: {dataset: "acl-data", partition: "acl-repoint",
                              csv: "x,label\\n0.2,1\\n"}) { batch { batchId } } }""").execute()
                    .path("ingestBatch.batch.batchId").entity(String.class).get());
        }

        for (Role role : WHO) {
            // an endpoint with two revisions to roll back, and an open drift alert on it
            deploy("acl-rb-" + name(role), 1);
            deploy("acl-rb-" + name(role), 2);
            commands.send(new RaiseDriftAlert(alert(role), EndpointName.of("acl-rb-" + name(role)),
                    ModelName.of("acl-model"), 2, 0.5, 0.2, 100, Instant.now()), Actor.service("drift-monitor"), null);
        }
    }

    private void deploy(String endpoint, int version) {
        graphQl(TESTER_TOKEN).document("""
                        mutation($e: String!, $v: Int!) { deployModel(input: {endpoint: $e, model: "acl-model",
                          version: $v}) { errors { message } } }""")
                .variable("e", endpoint).variable("v", version).execute().path("deployModel.errors").entityList(Object.class).hasSize(0);
    }

    private static DriftAlertId alert(Role role) {
        return DriftAlertId.forTarget(EndpointName.of("acl-rb-" + name(role)), ModelName.of("acl-model"), 2);
    }

    /** One mutation of the matrix: its document for a role (each role acts on resources of its own). */
    private record Case(String mutation, String permission, Set<Role> allowed, Function<Role, String> document) {
    }

    private static final Set<Role> ANYONE = allRoles();
    private static final Set<Role> WRITERS = EnumSet.of(Role.DATA_SCIENTIST, Role.ADMIN);
    private static final Set<Role> DEPLOYERS = EnumSet.of(Role.DEPLOYER, Role.ADMIN);
    private static final Set<Role> ADMINS = EnumSet.of(Role.ADMIN);

    private static Set<Role> allRoles() {
        Set<Role> all = new java.util.HashSet<>(EnumSet.of(Role.VIEWER, Role.DATA_SCIENTIST, Role.DEPLOYER,
                Role.ADMIN));
        all.add(null);
        return all;
    }

    /** Every mutation of the schema, in an order where each one's preconditions hold for the allowed roles. */
    private List<Case> mutations() {
        return List.of(
                new Case("registerDataset", "dataset:write", WRITERS, r -> """
                        mutation { registerDataset(input: {name: "acl-reg-%s", columns: [{name: "x", type: DOUBLE}]}) {
                          errors { code message } } }""".formatted(name(r))),
                new Case("ingestBatch", "dataset:write", WRITERS, r -> """
                        mutation { ingestBatch(input: {dataset: "acl-data", partition: "%s", csv: "x,label\\n0.1,1\\n"}) {
                          errors { code message } } }""".formatted(name(r))),
                new Case("repointPartition", "dataset:write", WRITERS, r -> """
                        mutation { repointPartition(input: {dataset: "acl-data", partition: "acl-repoint",
                          batchId: "%s", reason: "matrix"}) { errors { code message } } }"""
                        .formatted(repointBatches.get(r == Role.ADMIN ? 1 : 0))),
                new Case("registerFeatureSet", "feature-set:write", WRITERS, r -> """
                        mutation { registerFeatureSet(input: {name: "acl-fs-%s", owner: "team",
                          source: {dataset: "acl-events"}, entityKeys: ["user"], timestampColumn: "at",
                          features: [{name: "n", column: "amount", aggregation: COUNT, window: "P1D"}]}) {
                          errors { code message } } }""".formatted(name(r))),
                new Case("materializeTrainingSet", "dataset:write", WRITERS, r -> """
                        mutation { materializeTrainingSet(input: {featureSet: "acl-fs", version: 1, labels: {
                          dataset: "acl-labels", batchIds: ["%s"], entityKeys: ["uid"], timestampColumn: "when",
                          labelColumn: "y"}, name: "acl-ts-%s"}) { errors { code message } } }"""
                        .formatted(labelBatch, name(r))),
                new Case("requestTrainingRun", "model:train", WRITERS, r -> """
                        mutation { requestTrainingRun(input: {model: "acl-train-%s", task: BINARY_CLASSIFICATION,
                          batches: [{dataset: "acl-data", batchId: "%s"}], features: ["x"], label: "label",
                          hyperparameters: {epochs: 1, hiddenUnits: [2]}}) { errors { code message } } }"""
                        .formatted(name(r), batchId)),
                new Case("rerunTrainingRun", "model:train", WRITERS, r -> """
                        mutation { rerunTrainingRun(input: {runId: "%s"}) { errors { code message } } }"""
                        .formatted(runId)),
                new Case("evaluateModelVersion", "model:evaluate", WRITERS, r -> """
                        mutation { evaluateModelVersion(input: {model: "acl-model", version: 1, dataset: "acl-data",
                          batchId: "%s"}) { errors { code message } } }""".formatted(batchId)),
                new Case("assignModelAlias", "model:write", WRITERS, r -> """
                        mutation { assignModelAlias(input: {model: "acl-model", alias: "alias-%s", version: 1}) {
                          errors { code message } } }""".formatted(name(r))),
                new Case("deployModel", "endpoint:deploy", DEPLOYERS, r -> """
                        mutation { deployModel(input: {endpoint: "acl-ep-%s", model: "acl-model", version: 1}) {
                          errors { code message } } }""".formatted(name(r))),
                new Case("rollBackEndpoint", "endpoint:deploy", DEPLOYERS, r -> """
                        mutation { rollBackEndpoint(input: {endpoint: "acl-rb-%s", reason: "matrix"}) {
                          errors { code message } } }""".formatted(name(r))),
                new Case("configureDriftMonitor", "endpoint:monitor", DEPLOYERS, r -> """
                        mutation { configureDriftMonitor(input: {endpoint: "acl-rb-%s", psiThreshold: 0.3,
                          windowSize: 200}) { errors { code message } } }""".formatted(name(r))),
                new Case("configureRolloutPolicy", "endpoint:deploy", DEPLOYERS, r -> """
                        mutation { configureRolloutPolicy(input: {endpoint: "acl-rb-%s", rollBackOnDrift: false}) {
                          errors { code message } } }""".formatted(name(r))),
                new Case("acknowledgeDriftAlert", "endpoint:monitor", DEPLOYERS, r -> """
                        mutation { acknowledgeDriftAlert(input: {alertId: "%s", note: "matrix"}) {
                          errors { code message } } }""".formatted(alert(r))),
                new Case("resolveDriftAlert", "endpoint:monitor", DEPLOYERS, r -> """
                        mutation { resolveDriftAlert(input: {alertId: "%s", note: "matrix"}) {
                          errors { code message } } }""".formatted(alert(r))),
                new Case("rebuildProjection", "projection:rebuild", ADMINS, r -> """
                        mutation { rebuildProjection(input: {name: "drift-alert-projection"}) {
                          errors { code message } } }"""),
                new Case("registerWebhook", "webhook:manage", ADMINS, r -> """
                        mutation { registerWebhook(input: {url: "http://127.0.0.1:9/acl-%s",
                          events: ["annals.AutomaticRollbackDeclined"], secret: "acl-secret-0123456789"}) {
                          webhook { id } errors { code message } } }""".formatted(name(r))),
                new Case("replayWebhook", "webhook:manage", ADMINS, r -> """
                        mutation { replayWebhook(input: {webhook: "%s", fromPosition: 0}) { errors { code message } } }"""
                        .formatted(webhookIds.getOrDefault(r, "acl-no-webhook"))),
                new Case("removeWebhook", "webhook:manage", ADMINS, r -> """
                        mutation { removeWebhook(input: {webhook: "%s"}) { errors { code message } } }"""
                        .formatted(webhookIds.getOrDefault(r, "acl-no-webhook"))),
                new Case("grantRole", "access:manage", ADMINS, r -> """
                        mutation { grantRole(input: {principal: "user:acl-grantee-%s", role: VIEWER}) {
                          errors { code message } } }""".formatted(name(r))),
                new Case("revokeRole", "access:manage", ADMINS, r -> """
                        mutation { revokeRole(input: {principal: "user:acl-grantee-%s", role: VIEWER}) {
                          errors { code message } } }""".formatted(name(r))),
                new Case("grantPermission", "access:manage", ADMINS, r -> """
                        mutation { grantPermission(input: {principal: "user:acl-grantee-%s", permission: "model:train",
                          resource: "model:x-*", effect: ALLOW}) { errors { code message } } }""".formatted(name(r))),
                new Case("revokePermission", "access:manage", ADMINS, r -> """
                        mutation { revokePermission(input: {principal: "user:acl-grantee-%s", permission: "model:train",
                          resource: "model:x-*", effect: ALLOW}) { errors { code message } } }""".formatted(name(r))),
                new Case("createApiToken", "token:manage", ANYONE, r -> """
                        mutation { createApiToken(input: {name: "own", expiresIn: "PT1H"}) {
                          token { tokenId } errors { code message } } }"""),
                new Case("revokeApiToken", "token:manage", ANYONE, r -> """
                        mutation { revokeApiToken(input: {tokenId: "%s"}) { errors { code message } } }"""
                        .formatted(ownTokenIds.get(r))),
                new Case("createApiToken", "token:manage", ADMINS, r -> """
                        mutation { createApiToken(input: {name: "for someone", principal: "service:acl-ci-%s"}) {
                          errors { code message } } }""".formatted(name(r))),
                new Case("registerPipeline", "pipeline:write", WRITERS, r -> """
                        mutation { registerPipeline(input: {name: "acl-pl-%s", model: "acl-pl-model-%s",
                          trainingSpec: {task: BINARY_CLASSIFICATION, features: ["x"], label: "label",
                            hyperparameters: {epochs: 1, hiddenUnits: [2]}},
                          inputs: [{dataset: "acl-data", partitions: ["%s"]}]}) { errors { code message } } }"""
                        .formatted(name(r), name(r), name(r))),
                new Case("triggerPipeline", "pipeline:write", WRITERS, r -> """
                        mutation { triggerPipeline(input: {pipeline: "acl-pl-%s", note: "matrix"}) {
                          errors { code message } } }""".formatted(name(r))),
                new Case("pausePipeline", "pipeline:write", WRITERS, r -> """
                        mutation { pausePipeline(input: {pipeline: "acl-pl-%s", reason: "matrix"}) {
                          errors { code message } } }""".formatted(name(r))),
                new Case("resumePipeline", "pipeline:write", WRITERS, r -> """
                        mutation { resumePipeline(input: {pipeline: "acl-pl-%s"}) { errors { code message } } }"""
                        .formatted(name(r))),
                // the run trained on the one-row batch of the role's partition, which is too few rows: it failed
                new Case("retryPipelineRun", "pipeline:write", WRITERS, r -> {
                    if (WRITERS.contains(r)) {
                        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> graphQl(TESTER_TOKEN).document(
                                        "query($id: ID!) { pipelineRun(id: $id) { status } }")
                                .variable("id", "acl-pl-" + name(r) + "#1").execute()
                                .path("pipelineRun.status").entity(String.class).isEqualTo("FAILED"));
                    }
                    return """
                            mutation { retryPipelineRun(input: {run: "acl-pl-%s#1"}) { errors { code message } } }"""
                            .formatted(name(r));
                }));
    }

    /**
     * A pipeline's steps act as its own principal, which may deploy: defining one that deploys needs the right to
     * deploy there, or a data scientist could deploy through a pipeline what they may not deploy themselves.
     */
    @Test
    void registerPipeline_thatDeploys_needsTheRightToDeployThere() {
        long before = eventsBy(principal(Role.DATA_SCIENTIST));
        graphQl(token(Role.DATA_SCIENTIST)).document("""
                        mutation { registerPipeline(input: {name: "acl-pl-escalate", model: "acl-model",
                          trainingSpec: {task: BINARY_CLASSIFICATION, features: ["x"], label: "label"},
                          inputs: [{dataset: "acl-data"}], deployment: {endpoint: "acl-prod"}}) {
                          errors { code message } } }""").execute()
                .errors().satisfy(errors -> {
                    assertThat(errors).hasSize(1);
                    assertThat(errors.get(0).getErrorType()).isEqualTo(ErrorType.FORBIDDEN);
                    assertThat(errors.get(0).getMessage()).isEqualTo(principal(Role.DATA_SCIENTIST)
                            + " lacks permission endpoint:deploy on endpoint:acl-prod");
                });
        assertThat(eventsBy(principal(Role.DATA_SCIENTIST))).isEqualTo(before);
    }

    private long eventsBy(Actor actor) {
        return jdbc.queryForObject("select count(*) from domainevententry where convert_from(metadata, 'UTF8') "
                + "like ?", Long.class, "%\"actor\":\"" + actor.value() + "\"%");
    }

    @Test
    void everyMutation_againstEveryRole() {
        List<String> checked = new ArrayList<>();
        for (Case c : mutations()) {
            for (Role role : WHO) {
                String who = c.mutation() + " as " + name(role);
                long before = eventsBy(principal(role));
                GraphQlTester.Response response = graphQl(token(role)).document(c.document().apply(role)).execute();
                if (c.allowed().contains(role)) {
                    response.errors().verify();
                    assertThat(response.path(c.mutation() + ".errors").entityList(Object.class).get()).as(who)
                            .isEmpty();
                    if (!c.mutation().equals("rebuildProjection")) {
                        assertThat(eventsBy(principal(role))).as(who + ": events recorded").isGreaterThan(before);
                    }
                    if (c.mutation().equals("registerWebhook")) {
                        webhookIds.put(role, response.path("registerWebhook.webhook.id").entity(String.class).get());
                    }
                    if (c.mutation().equals("createApiToken") && c.allowed() == ANYONE) {
                        ownTokenIds.put(role, response.path("createApiToken.token.tokenId").entity(String.class).get());
                    }
                } else {
                    response.errors().satisfy(errors -> {
                        assertThat(errors).as(who).hasSize(1);
                        assertThat(errors.get(0).getErrorType()).as(who).isEqualTo(ErrorType.FORBIDDEN);
                        assertThat(errors.get(0).getMessage()).as(who)
                                .isEqualTo(principal(role) + " lacks permission " + c.permission() + " on "
                                        + errors.get(0).getExtensions().get("resource"));
                        assertThat(errors.get(0).getExtensions()).as(who).containsEntry("permission", c.permission());
                    });
                    assertThat(eventsBy(principal(role))).as(who + ": no event").isEqualTo(before);
                }
                checked.add(c.mutation());
            }
        }
        assertThat(checked).as("every mutation of the schema is in the matrix")
                .containsAll(AccessRulesTest.rootFields("Mutation"));
    }

    private HttpResponse<String> rest(String method, String path, String contentType, byte[] body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private record Route(String name, String method, String path, String contentType, byte[] body, int okStatus,
                         String permission, Set<Role> allowed) {
    }

    @Test
    void everyRestRoute_againstEveryRole() throws Exception {
        Set<Role> readers = EnumSet.of(Role.VIEWER, Role.DATA_SCIENTIST, Role.DEPLOYER, Role.ADMIN);
        Set<Role> predictors = EnumSet.of(Role.DATA_SCIENTIST, Role.DEPLOYER, Role.ADMIN);
        List<Route> routes = List.of(
                new Route("upload", "POST", "/v1/datasets/acl-data/batches?partition=rest", "text/csv",
                        "x,label\n0.3,1\n".getBytes(StandardCharsets.UTF_8), 201, "dataset:write", WRITERS),
                new Route("import", "POST", "/v1/models/acl-imported/versions", "multipart/form-data; boundary=acl",
                        OnnxFiles.multipart("acl", OnnxFiles.logistic(new float[] {1f, 1f}, 0f),
                                ModelImportTest.BINARY_SIGNATURE), 201, "model:write", WRITERS),
                new Route("download", "GET", "/v1/datasets/acl-data/batches/" + batchId, null, null, 200, "read",
                        readers),
                new Route("predict", "POST", "/v1/endpoints/acl-live/predict", "application/json",
                        "{\"rows\": [{\"x\": 0.2}]}".getBytes(StandardCharsets.UTF_8), 200, "endpoint:predict",
                        predictors),
                new Route("v2 server", "GET", "/v2", null, null, 200, "read", readers),
                new Route("v2 live", "GET", "/v2/health/live", null, null, 200, "read", readers),
                new Route("v2 ready", "GET", "/v2/health/ready", null, null, 200, "read", readers),
                new Route("v2 model", "GET", "/v2/models/acl-live", null, null, 200, "read", readers),
                new Route("v2 model ready", "GET", "/v2/models/acl-live/ready", null, null, 200, "read", readers),
                new Route("v2 infer", "POST", "/v2/models/acl-live/infer", "application/json", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [0.2]}]}".getBytes(StandardCharsets.UTF_8), 200,
                        "endpoint:predict", predictors),
                new Route("v2 version", "GET", "/v2/models/acl-live/versions/1", null, null, 200, "read", readers),
                new Route("v2 version ready", "GET", "/v2/models/acl-live/versions/1/ready", null, null, 200, "read",
                        readers),
                new Route("v2 version infer", "POST", "/v2/models/acl-live/versions/1/infer", "application/json",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [0.2]}]}".getBytes(StandardCharsets.UTF_8), 200, "endpoint:predict", predictors),
                new Route("health", "GET", "/actuator/health", null, null, 200, "read", readers));
        assertThat(routes.stream().map(r -> RequestRules.describe(RequestRules.rest(r.method(),
                        URI.create(r.path()).getPath()).orElseThrow().getKey())).toList())
                .as("every REST route with a rule is in the matrix")
                .containsExactlyInAnyOrderElementsOf(RequestRules.restRoutes());
        for (Route route : routes) {
            for (Role role : WHO) {
                String who = route.name() + " as " + name(role);
                long before = eventsBy(principal(role));
                HttpResponse<String> response = rest(route.method(), route.path(), route.contentType(), route.body(),
                        token(role));
                if (route.allowed().contains(role)) {
                    assertThat(response.statusCode()).as(who + ": " + response.body()).isEqualTo(route.okStatus());
                } else {
                    assertThat(response.statusCode()).as(who).isEqualTo(403);
                    JsonNode body = JSON.readTree(response.body());
                    assertThat(body.path("error").asText()).as(who).isEqualTo("FORBIDDEN");
                    assertThat(body.path("permission").asText()).as(who).isEqualTo(route.permission());
                    assertThat(body.path("message").asText()).as(who)
                            .startsWith(principal(role) + " lacks permission " + route.permission());
                    assertThat(eventsBy(principal(role))).as(who + ": no event").isEqualTo(before);
                }
            }
        }
        assertThat(rest("GET", "/v1/nowhere", null, null, TESTER_TOKEN).statusCode())
                .as("a route without a rule is refused to everyone").isEqualTo(403);
    }

    @Test
    void queriesAndSubscriptionsNeedRead() throws Exception {
        for (Role role : WHO) {
            GraphQlTester.Response response = graphQl(token(role)).document("{ datasets(first: 1) { totalCount } }")
                    .execute();
            if (role == null) {
                response.errors().satisfy(errors -> assertThat(errors).extracting(e -> e.getErrorType())
                        .containsExactly(ErrorType.FORBIDDEN));
            } else {
                response.path("datasets.totalCount").entity(Long.class).satisfies(n -> assertThat(n).isPositive());
            }
            try (GraphQlClient.Subscription progress = new GraphQlClient(baseUrl(), token(role)).subscribe(
                    "subscription($id: ID!) { trainingProgress(runId: $id) { status } }", Map.of("id", runId))) {
                if (role == null) {
                    assertThatThrownBy(() -> progress.next(Duration.ofSeconds(20)))
                            .hasMessageContaining("FORBIDDEN").hasMessageContaining("lacks permission read");
                } else {
                    assertThat(progress.next(Duration.ofSeconds(20)).path("trainingProgress").path("status").asText())
                            .isEqualTo("COMPLETED");
                }
            }
        }
        graphQl(noRoleToken).document("{ me myAccess { principal permissions } }").execute()
                .path("me").entity(String.class).isEqualTo("user:acl-nobody")
                .path("myAccess.permissions").entityList(String.class).hasSize(0);
    }

    @Nested
    class Patterns {

        @Test
        void aDenyOnProductionWinsOverTheDeployerRole() {
            Actor carol = Actor.user("acl-carol");
            admin("mutation { grantRole(input: {principal: \"user:acl-carol\", role: DEPLOYER}) { errors { message } } }");
            admin("""
                    mutation { grantPermission(input: {principal: "user:acl-carol", permission: "endpoint:deploy",
                      resource: "endpoint:acl-prod-*", effect: DENY}) { errors { message } } }""")
                    .path("grantPermission.errors").entityList(Object.class).hasSize(0);
            String token = newToken(carol, "patterns");
            long before = eventsBy(carol);
            graphQl(token).document("""
                            mutation { deployModel(input: {endpoint: "acl-prod-eu", model: "acl-model", version: 1}) {
                              errors { message } } }""").execute()
                    .errors().satisfy(errors -> {
                        assertThat(errors).extracting(e -> e.getErrorType()).containsExactly(ErrorType.FORBIDDEN);
                        assertThat(errors.get(0).getMessage())
                                .isEqualTo("user:acl-carol is denied endpoint:deploy on endpoint:acl-prod-*");
                    });
            assertThat(eventsBy(carol)).isEqualTo(before);
            graphQl(token).document("""
                            mutation { deployModel(input: {endpoint: "acl-staging-eu", model: "acl-model", version: 1}) {
                              errors { message } } }""").execute()
                    .path("deployModel.errors").entityList(Object.class).hasSize(0);
        }

        @Test
        void anAllowOnAPatternGivesAViewerOnlyWhatMatches() {
            Actor dan = Actor.user("acl-dan");
            admin("mutation { grantRole(input: {principal: \"user:acl-dan\", role: VIEWER}) { errors { message } } }");
            admin("""
                    mutation { grantPermission(input: {principal: "user:acl-dan", permission: "model:train",
                      resource: "model:acl-fraud-*"}) { errors { message } } }""")
                    .path("grantPermission.errors").entityList(Object.class).hasSize(0);
            String token = newToken(dan, "patterns");
            String train = """
                    mutation($m: String!, $b: ID!) { requestTrainingRun(input: {model: $m, task: BINARY_CLASSIFICATION,
                      batches: [{dataset: "acl-data", batchId: $b}], features: ["x"], label: "label",
                      hyperparameters: {epochs: 1, hiddenUnits: [2]}}) { runId errors { message } } }""";
            graphQl(token).document(train).variable("m", "acl-fraud-eu").variable("b", batchId).execute()
                    .path("requestTrainingRun.errors").entityList(Object.class).hasSize(0);
            graphQl(token).document(train).variable("m", "acl-churn").variable("b", batchId).execute()
                    .errors().satisfy(errors -> assertThat(errors.get(0).getMessage())
                            .isEqualTo("user:acl-dan lacks permission model:train on model:acl-churn"));
            graphQl(TESTER_TOKEN).document("""
                            { accessOf(principal: "user:acl-dan") {
                              fraud: can(permission: "model:train", resource: "model:acl-fraud-us") { allowed }
                              churn: can(permission: "model:train", resource: "model:acl-churn") { allowed reason }
                              grants { permission resource effect grantedBy } } }""").execute()
                    .path("accessOf.fraud.allowed").entity(Boolean.class).isEqualTo(true)
                    .path("accessOf.churn.allowed").entity(Boolean.class).isEqualTo(false)
                    .path("accessOf.grants[0].grantedBy").entity(String.class).isEqualTo("user:tester");
        }
    }

    @Test
    void accessAsOfAPastInstant_answersWhoCouldDeployThen() {
        Actor erin = Actor.user("acl-erin");
        Instant beforeGrant = Instant.now();
        await().atMost(Duration.ofSeconds(2)).until(() -> Instant.now().isAfter(beforeGrant));
        admin("mutation { grantRole(input: {principal: \"user:acl-erin\", role: DEPLOYER}) { errors { message } } }")
                .path("grantRole.errors").entityList(Object.class).hasSize(0);
        Instant whileDeployer = Instant.now();
        await().atMost(Duration.ofSeconds(2)).until(() -> Instant.now().isAfter(whileDeployer));
        admin("mutation { revokeRole(input: {principal: \"user:acl-erin\", role: DEPLOYER}) { errors { message } } }")
                .path("revokeRole.errors").entityList(Object.class).hasSize(0);

        String asOf = """
                query($at: DateTime) { accessOf(principal: "user:acl-erin", asOf: $at) { roles { role grantedBy }
                  can(permission: "endpoint:deploy", resource: "endpoint:acl-prod-eu") { allowed } } }""";
        graphQl(AUDITOR_TOKEN).document(asOf).variable("at", whileDeployer.toString()).execute()
                .path("accessOf.roles[0].role").entity(String.class).isEqualTo("DEPLOYER")
                .path("accessOf.roles[0].grantedBy").entity(String.class).isEqualTo("user:tester")
                .path("accessOf.can.allowed").entity(Boolean.class).isEqualTo(true);
        graphQl(AUDITOR_TOKEN).document(asOf).variable("at", beforeGrant.toString()).execute()
                .path("accessOf.roles").entityList(Object.class).hasSize(0)
                .path("accessOf.can.allowed").entity(Boolean.class).isEqualTo(false);
        graphQl(AUDITOR_TOKEN).document(asOf).variable("at", null).execute()
                .path("accessOf.can.allowed").entity(Boolean.class).isEqualTo(false);

        String who = """
                query($at: DateTime) { principalsAllowed(permission: "endpoint:deploy", resource: "endpoint:acl-prod-eu",
                  asOf: $at) { principal } }""";
        graphQl(AUDITOR_TOKEN).document(who).variable("at", whileDeployer.toString()).execute()
                .path("principalsAllowed[*].principal").entityList(String.class).contains(erin.value());
        graphQl(AUDITOR_TOKEN).document(who).variable("at", null).execute()
                .path("principalsAllowed[*].principal").entityList(String.class)
                .doesNotContain(erin.value()).contains("user:tester");
        // the grant and its revocation are in the audit log, under the administrator who made them
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> graphQl(AUDITOR_TOKEN).document("""
                        { auditEvents(filter: {entityKind: "access", entityId: "user:acl-erin"}) {
                          edges { node { type actor } } } }""").execute()
                .path("auditEvents.edges[*].node.type").entityList(String.class)
                .satisfies(types -> assertThat(types).containsExactlyInAnyOrder("annals.RoleGranted",
                        "annals.RoleRevoked"))
                .path("auditEvents.edges[*].node.actor").entityList(String.class)
                .satisfies(actors -> assertThat(actors).containsOnly("user:tester")));
    }

    @Nested
    class Tokens {

        @Test
        void aTokenIsShownOnce_storedAsAHash_andItsUseNoted() {
            graphQl(TESTER_TOKEN).document("""
                    mutation { grantRole(input: {principal: "user:acl-frank", role: VIEWER}) { errors { message } } }""")
                    .execute();
            String token = newToken(Actor.user("acl-frank"), "laptop");
            assertThat(token).startsWith("annt_");
            graphQl(token).document("{ me }").execute().path("me").entity(String.class).isEqualTo("user:acl-frank");
            String secret = token.substring(token.lastIndexOf('.') + 1);
            assertThat(jdbc.queryForObject("select count(*) from domainevententry where "
                    + "convert_from(payload, 'UTF8') like ?", Long.class, "%" + secret + "%"))
                    .as("events holding the token's secret").isZero();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl(token).document("""
                            { myAccess { tokens { name createdBy lastUsedAt active } } }""").execute()
                    .path("myAccess.tokens[0].name").entity(String.class).isEqualTo("laptop")
                    .path("myAccess.tokens[0].createdBy").entity(String.class).isEqualTo("user:tester")
                    .path("myAccess.tokens[0].active").entity(Boolean.class).isEqualTo(true)
                    .path("myAccess.tokens[0].lastUsedAt").entity(String.class).satisfies(t ->
                            assertThat(Instant.parse(t)).isAfter(Instant.now().minusSeconds(120))));
        }

        @Test
        void aRevokedTokenIsRefusedAtOnce() {
            String token = newToken(Actor.user("acl-gina"), "to revoke");
            String id = graphQl(token).document("mutation { createApiToken(input: {name: \"second\"}) { token { tokenId } } }")
                    .execute().path("createApiToken.token.tokenId").entity(String.class).get();
            String tokenId = graphQl(TESTER_TOKEN).document("""
                            { accessOf(principal: "user:acl-gina") { tokens { tokenId name } } }""").execute()
                    .path("accessOf.tokens[?(@.name == 'to revoke')].tokenId").entityList(String.class).get().get(0);
            assertThat(id).isNotEqualTo(tokenId);
            graphQl(TESTER_TOKEN).document("""
                            mutation($t: ID!) { revokeApiToken(input: {tokenId: $t, principal: "user:acl-gina"}) {
                              token { active revokedBy } errors { message } } }""").variable("t", tokenId).execute()
                    .path("revokeApiToken.token.active").entity(Boolean.class).isEqualTo(false)
                    .path("revokeApiToken.token.revokedBy").entity(String.class).isEqualTo("user:tester");
            graphQl(token).document("{ me }").execute().errors().satisfy(errors -> {
                assertThat(errors).extracting(e -> e.getErrorType()).containsExactly(ErrorType.UNAUTHORIZED);
                assertThat(errors.get(0).getMessage()).startsWith("API token " + tokenId + " ('to revoke') was "
                        + "revoked at ");
            });
            try (GraphQlClient.Subscription alerts = new GraphQlClient(baseUrl(), token)
                    .subscribe("subscription { driftAlerts { id } }", Map.of())) {
                assertThatThrownBy(() -> alerts.next(Duration.ofSeconds(20))).hasMessageContaining("was revoked at");
            }
        }

        @Test
        void anExpiredTokenIsRefused() {
            graphQl(TESTER_TOKEN).document("""
                    mutation { grantRole(input: {principal: "user:acl-hal", role: VIEWER}) { errors { message } } }""")
                    .execute();
            String token = graphQl(TESTER_TOKEN).document("""
                            mutation { createApiToken(input: {name: "short", expiresIn: "PT8S", principal: "user:acl-hal"}) {
                              secret } }""").execute().path("createApiToken.secret").entity(String.class).get();
            graphQl(token).document("{ me }").execute().path("me").entity(String.class).isEqualTo("user:acl-hal");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    graphQl(token).document("{ me }").execute().errors().satisfy(errors ->
                            assertThat(errors).extracting(e -> e.getMessage()).singleElement().asString()
                                    .contains("('short') expired at ")));
        }

        @Test
        void badLifetimesAndTamperedTokensAreRefused() {
            graphQl(TESTER_TOKEN).document("""
                            mutation { createApiToken(input: {name: "forever", expiresIn: "P9999D"}) {
                              errors { code message } } }""").execute()
                    .path("createApiToken.errors[0].code").entity(String.class).isEqualTo("INVALID_INPUT")
                    .path("createApiToken.errors[0].message").entity(String.class)
                    .isEqualTo("expiresIn must be between PT1S and PT8784H (annals.security.max-token-lifetime)");
            String token = newToken(Actor.user("acl-ivy"), "tamper");
            String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
            graphQl(tampered).document("{ me }").execute().errors().satisfy(errors ->
                    assertThat(errors.get(0).getMessage()).isEqualTo("unknown API token"));
        }
    }

    @Nested
    class SignOn {

        @Test
        void aJwtFromTheIssuer_actsAsItsSubjectWithTheRolesOfItsGroups() {
            String jwt = signOnToken(SIGN_ON_KEY, "jules@example.com", List.of("ml-team", "staff"), "annals",
                    Instant.now().plusSeconds(300));
            graphQl(jwt).document("{ me myAccess { roles { role source } } }").execute()
                    .path("me").entity(String.class).isEqualTo("user:jules@example.com")
                    .path("myAccess.roles[*].role").entityList(String.class).containsExactly("DATA_SCIENTIST");
            graphQl(jwt).document("""
                            mutation { registerDataset(input: {name: "acl-sso", columns: [{name: "x", type: DOUBLE}]}) {
                              errors { message } } }""").execute()
                    .path("registerDataset.errors").entityList(Object.class).hasSize(0);
            assertThat(eventsBy(Actor.user("jules@example.com"))).isEqualTo(1);
            graphQl(jwt).document("""
                            mutation { rollBackEndpoint(input: {endpoint: "acl-live", reason: "sso"}) {
                              errors { message } } }""").execute()
                    .errors().satisfy(errors -> assertThat(errors).extracting(e -> e.getErrorType())
                            .containsExactly(ErrorType.FORBIDDEN));
        }

        @Test
        void aJwtSignedByAnotherKey_expired_orForAnotherAudience_isRefused() {
            List<String> refused = List.of(
                    signOnToken(rsaKeyPair(), "mallory", List.of("ml-team"), "annals", Instant.now().plusSeconds(300)),
                    signOnToken(SIGN_ON_KEY, "jules", List.of("ml-team"), "annals", Instant.now().minusSeconds(600)),
                    signOnToken(SIGN_ON_KEY, "jules", List.of("ml-team"), "another-app",
                            Instant.now().plusSeconds(300)));
            for (String jwt : refused) {
                graphQl(jwt).document("{ me }").execute().errors().satisfy(errors -> {
                    assertThat(errors).extracting(e -> e.getErrorType()).containsExactly(ErrorType.UNAUTHORIZED);
                    assertThat(errors.get(0).getMessage()).startsWith("the sign-on token was refused: ");
                });
            }
        }
    }

    @Test
    void aTrainingWorkerMayNotDeploy() {
        Actor worker = Actor.service("training-worker/acl");
        long before = eventsBy(worker);
        Throwable thrown = catchThrowable(() -> commands.send(new DeployModelVersion(EndpointName.of("acl-live"),
                ModelName.of("acl-model"), 1, null, 100, "worker"), worker, null));
        while (thrown != null && !(thrown instanceof DomainException)) {
            thrown = thrown.getCause();
        }
        assertThat(thrown).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.code()).isEqualTo(DomainException.Code.FORBIDDEN);
            assertThat(e).hasMessage("service:training-worker/acl (role training-worker) may not send "
                    + "DeployModelVersion: it needs permission endpoint:deploy");
        });
        assertThat(eventsBy(worker)).isEqualTo(before);
        graphQl(TESTER_TOKEN).document("""
                        mutation { grantRole(input: {principal: "service:training-worker/acl", role: ADMIN}) {
                          errors { code message } } }""").execute()
                .path("grantRole.errors[0].code").entity(String.class).isEqualTo("INVALID_INPUT");
    }
}
