package io.annals.app.security;

import static io.annals.command.api.access.Permission.ACCESS_MANAGE;
import static io.annals.command.api.access.Permission.DATASET_WRITE;
import static io.annals.command.api.access.Permission.ENDPOINT_DEPLOY;
import static io.annals.command.api.access.Permission.ENDPOINT_MONITOR;
import static io.annals.command.api.access.Permission.ENDPOINT_PREDICT;
import static io.annals.command.api.access.Permission.FEATURE_SET_WRITE;
import static io.annals.command.api.access.Permission.MODEL_EVALUATE;
import static io.annals.command.api.access.Permission.MODEL_TRAIN;
import static io.annals.command.api.access.Permission.MODEL_WRITE;
import static io.annals.command.api.access.Permission.PIPELINE_WRITE;
import static io.annals.command.api.access.Permission.PROJECTION_REBUILD;
import static io.annals.command.api.access.Permission.READ;
import static io.annals.command.api.access.Permission.TOKEN_MANAGE;

import io.annals.command.api.access.Permission;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Every request the API answers and the permission it needs, in one table: each GraphQL query, mutation and
 * subscription field, and each REST route. A field or route not in the table is refused to everyone, so a new one
 * cannot be reached until it is given a rule ({@code AccessRulesTest} checks the schema against this table).
 * Reading needs {@code read} on everything; a change needs its permission on the one resource the request names.
 */
public final class RequestRules {

    /**
     * @param permission null when any authenticated caller may make the request
     * @param resource   the resource a request acts on ({@code <kind>:<name>}), from its arguments and caller
     */
    public record Rule(Permission permission, ResourceOf resource) {
    }

    /** The resource a request names, from its arguments, its caller, and what is on record. */
    @FunctionalInterface
    public interface ResourceOf {
        String of(Map<String, Object> arguments, Caller caller, Records records);
    }

    /** What a rule may look up: the model a run trains, for a request that names only the run. */
    public interface Records {
        /** The model of a run, or null when there is no such run. */
        String modelOfRun(String runId);
    }

    public record Route(HttpMethod method, PathPattern path, Permission permission, String kind, String variable) {
    }

    private static final Rule READ_ALL = new Rule(READ, (args, caller, records) -> "*");
    private static final Rule ANY_CALLER = new Rule(null, (args, caller, records) -> "*");

    static final Map<String, Rule> GRAPHQL = Map.ofEntries(
            Map.entry("Query.me", ANY_CALLER),
            Map.entry("Query.myAccess", ANY_CALLER),
            Map.entry("Query.accessOf", READ_ALL),
            Map.entry("Query.principalsAllowed", READ_ALL),
            Map.entry("Query.datasets", READ_ALL),
            Map.entry("Query.dataset", READ_ALL),
            Map.entry("Query.trainingRuns", READ_ALL),
            Map.entry("Query.trainingRun", READ_ALL),
            Map.entry("Query.models", READ_ALL),
            Map.entry("Query.model", READ_ALL),
            Map.entry("Query.endpoints", READ_ALL),
            Map.entry("Query.endpoint", READ_ALL),
            Map.entry("Query.driftAlerts", READ_ALL),
            Map.entry("Query.driftAlert", READ_ALL),
            Map.entry("Query.auditEvents", READ_ALL),
            Map.entry("Query.webhooks", new Rule(Permission.WEBHOOK_MANAGE, (args, caller, records) -> "webhook:*")),
            Map.entry("Query.webhook", new Rule(Permission.WEBHOOK_MANAGE,
                    (args, caller, records) -> "webhook:" + args.get("id"))),
            Map.entry("Mutation.registerWebhook", new Rule(Permission.WEBHOOK_MANAGE,
                    (args, caller, records) -> "webhook:*")),
            Map.entry("Mutation.removeWebhook", on(Permission.WEBHOOK_MANAGE, "webhook", "input", "webhook")),
            Map.entry("Mutation.replayWebhook", on(Permission.WEBHOOK_MANAGE, "webhook", "input", "webhook")),
            Map.entry("Query.featureSets", READ_ALL),
            Map.entry("Query.featureSet", READ_ALL),
            Map.entry("Query.trainingSet", READ_ALL),
            Map.entry("Query.lineage", READ_ALL),
            Map.entry("Query.batchImpact", READ_ALL),
            Map.entry("Query.pipeline", READ_ALL),
            Map.entry("Query.pipelineRun", READ_ALL),
            Map.entry("Query.pipelineRuns", READ_ALL),
            Map.entry("Query.pipelines", READ_ALL),
            Map.entry("Subscription.pipelineRuns", READ_ALL),
            Map.entry("Query.projections", READ_ALL),
            Map.entry("Query.processors", READ_ALL),
            Map.entry("Subscription.driftAlerts", READ_ALL),
            Map.entry("Subscription.trainingProgress", READ_ALL),
            Map.entry("Mutation.registerDataset", on(DATASET_WRITE, "dataset", "input", "name")),
            Map.entry("Mutation.ingestBatch", on(DATASET_WRITE, "dataset", "input", "dataset")),
            Map.entry("Mutation.repointPartition", on(DATASET_WRITE, "dataset", "input", "dataset")),
            Map.entry("Mutation.registerFeatureSet", on(FEATURE_SET_WRITE, "feature-set", "input", "name")),
            Map.entry("Mutation.materializeTrainingSet", on(DATASET_WRITE, "dataset", "input", "name")),
            Map.entry("Mutation.requestTrainingRun", on(MODEL_TRAIN, "model", "input", "model")),
            Map.entry("Mutation.rerunTrainingRun", new Rule(MODEL_TRAIN, (args, caller, records) ->
                    "model:" + Objects.requireNonNullElse(records.modelOfRun(text(args, "input", "runId")), ""))),
            Map.entry("Mutation.assignModelAlias", on(MODEL_WRITE, "model", "input", "model")),
            Map.entry("Mutation.evaluateModelVersion", on(MODEL_EVALUATE, "model", "input", "model")),
            Map.entry("Mutation.deployModel", on(ENDPOINT_DEPLOY, "endpoint", "input", "endpoint")),
            Map.entry("Mutation.rollBackEndpoint", on(ENDPOINT_DEPLOY, "endpoint", "input", "endpoint")),
            Map.entry("Mutation.configureDriftMonitor", on(ENDPOINT_MONITOR, "endpoint", "input", "endpoint")),
            Map.entry("Mutation.configureRolloutPolicy", on(ENDPOINT_DEPLOY, "endpoint", "input", "endpoint")),
            Map.entry("Mutation.acknowledgeDriftAlert", new Rule(ENDPOINT_MONITOR, RequestRules::alertEndpoint)),
            Map.entry("Mutation.resolveDriftAlert", new Rule(ENDPOINT_MONITOR, RequestRules::alertEndpoint)),
            Map.entry("Mutation.rebuildProjection", on(PROJECTION_REBUILD, "projection", "input", "name")),
            Map.entry("Mutation.grantRole", on(ACCESS_MANAGE, "principal", "input", "principal")),
            Map.entry("Mutation.revokeRole", on(ACCESS_MANAGE, "principal", "input", "principal")),
            Map.entry("Mutation.grantPermission", on(ACCESS_MANAGE, "principal", "input", "principal")),
            Map.entry("Mutation.revokePermission", on(ACCESS_MANAGE, "principal", "input", "principal")),
            Map.entry("Mutation.createApiToken", new Rule(TOKEN_MANAGE, RequestRules::tokenHolder)),
            Map.entry("Mutation.revokeApiToken", new Rule(TOKEN_MANAGE, RequestRules::tokenHolder)),
            Map.entry("Mutation.registerPipeline", on(PIPELINE_WRITE, "pipeline", "input", "name")),
            Map.entry("Mutation.pausePipeline", on(PIPELINE_WRITE, "pipeline", "input", "pipeline")),
            Map.entry("Mutation.resumePipeline", on(PIPELINE_WRITE, "pipeline", "input", "pipeline")),
            Map.entry("Mutation.triggerPipeline", on(PIPELINE_WRITE, "pipeline", "input", "pipeline")),
            Map.entry("Mutation.retryPipelineRun", new Rule(PIPELINE_WRITE, (args, caller, records) -> {
                String run = text(args, "input", "run"); // <pipeline>#<number>
                return "pipeline:" + (run.contains("#") ? run.substring(0, run.lastIndexOf('#')) : run);
            })));

    private static final PathPatternParser PATHS = PathPatternParser.defaultInstance;

    static final List<Route> REST = List.of(
            new Route(HttpMethod.POST, PATHS.parse("/v1/datasets/{name}/batches"), DATASET_WRITE, "dataset", "name"),
            new Route(HttpMethod.GET, PATHS.parse("/v1/datasets/{name}/batches/{batchId}"), READ, null, null),
            new Route(HttpMethod.POST, PATHS.parse("/v1/endpoints/{name}/predict"), ENDPOINT_PREDICT, "endpoint",
                    "name"),
            new Route(HttpMethod.POST, PATHS.parse("/v1/models/{name}/versions"), MODEL_WRITE, "model", "name"),
            new Route(HttpMethod.GET, PATHS.parse("/v2"), READ, null, null),
            new Route(HttpMethod.GET, PATHS.parse("/v2/health/live"), READ, null, null),
            new Route(HttpMethod.GET, PATHS.parse("/v2/health/ready"), READ, null, null),
            new Route(HttpMethod.GET, PATHS.parse("/v2/models/{name}"), READ, null, null),
            new Route(HttpMethod.GET, PATHS.parse("/v2/models/{name}/ready"), READ, null, null),
            new Route(HttpMethod.POST, PATHS.parse("/v2/models/{name}/infer"), ENDPOINT_PREDICT, "endpoint", "name"),
            new Route(HttpMethod.GET, PATHS.parse("/v2/models/{name}/versions/{version}"), READ, null, null),
            new Route(HttpMethod.GET, PATHS.parse("/v2/models/{name}/versions/{version}/ready"), READ, null, null),
            new Route(HttpMethod.POST, PATHS.parse("/v2/models/{name}/versions/{version}/infer"), ENDPOINT_PREDICT,
                    "endpoint", "name"),
            new Route(HttpMethod.GET, PATHS.parse("/actuator/**"), READ, null, null));

    private RequestRules() {
    }

    /** The rule of a GraphQL root field ({@code Mutation.deployModel}); empty when it has none. */
    public static Optional<Rule> graphQl(String typeAndField) {
        return Optional.ofNullable(GRAPHQL.get(typeAndField));
    }

    /** Every REST route with a rule, as {@code METHOD /path/{pattern}}. */
    public static List<String> restRoutes() {
        return REST.stream().map(RequestRules::describe).toList();
    }

    public static String describe(Route route) {
        return route.method().name() + " " + route.path().getPatternString();
    }

    /** The route a REST request matches, with the resource it names; empty when no route matches. */
    public static Optional<Map.Entry<Route, String>> rest(String method, String path) {
        PathContainer container = PathContainer.parsePath(path);
        for (Route route : REST) {
            if (!route.method().matches(method)) {
                continue;
            }
            PathPattern.PathMatchInfo match = route.path().matchAndExtract(container);
            if (match != null) {
                String resource = route.kind() == null ? "*"
                        : route.kind() + ":" + match.getUriVariables().get(route.variable());
                return Optional.of(Map.entry(route, resource));
            }
        }
        return Optional.empty();
    }

    private static Rule on(Permission permission, String kind, String input, String field) {
        return new Rule(permission, (args, caller, records) -> kind + ":" + text(args, input, field));
    }

    @SuppressWarnings("unchecked")
    private static String text(Map<String, Object> args, String input, String field) {
        Object in = args.get(input);
        Object value = in instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(field) : null;
        return value == null ? "" : value.toString();
    }

    /** A drift alert's id starts with its endpoint's name ({@code <endpoint>~<model>~v<version>}). */
    private static String alertEndpoint(Map<String, Object> args, Caller caller, Records records) {
        String alert = text(args, "input", "alertId");
        int tilde = alert.indexOf('~');
        return "endpoint:" + (tilde < 0 ? alert : alert.substring(0, tilde));
    }

    /** Tokens are the caller's own unless the request names another principal. */
    private static String tokenHolder(Map<String, Object> args, Caller caller, Records records) {
        String principal = text(args, "input", "principal");
        return "principal:" + (principal.isEmpty() ? caller.actor().value() : principal);
    }
}
