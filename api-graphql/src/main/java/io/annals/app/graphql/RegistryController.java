package io.annals.app.graphql;

import graphql.GraphQLContext;
import io.annals.app.graphql.Mutations.UserError;
import io.annals.app.security.Caller;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.Page;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.endpoint.ConfigureDriftMonitor;
import io.annals.command.api.endpoint.FeatureDriftRule;
import io.annals.command.api.drift.DriftTest;
import io.annals.command.api.endpoint.ConfigureRolloutPolicy;
import io.annals.command.api.endpoint.DeployModelVersion;
import io.annals.command.api.endpoint.DeploymentMode;
import io.annals.command.api.endpoint.DriftMonitorSettings;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.endpoint.EndpointView;
import io.annals.command.api.endpoint.FindEndpoint;
import io.annals.command.api.endpoint.FindEndpoints;
import io.annals.command.api.endpoint.RollBackEndpoint;
import io.annals.command.api.endpoint.TargetView;
import io.annals.command.api.model.AssignModelAlias;
import io.annals.command.api.model.EvaluateModelVersion;
import io.annals.command.api.model.EvaluationId;
import io.annals.command.api.model.EvaluationView;
import io.annals.command.api.model.FindModel;
import io.annals.command.api.model.FindModelLineage;
import io.annals.command.api.model.FindModelVersions;
import io.annals.command.api.model.FindModelVersionsByRef;
import io.annals.command.api.model.FindModels;
import io.annals.command.api.model.Lineage;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionRef;
import io.annals.command.api.model.ModelVersionView;
import io.annals.command.api.model.ModelView;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.workers.port.CommandPort;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/** Models, their versions and aliases, endpoints and their revisions, and lineage. */
@Controller
class RegistryController {

    private final CommandPort commands;
    private final Queries queries;

    RegistryController(CommandPort commands, Queries queries) {
        this.commands = commands;
        this.queries = queries;
    }

    record AssignModelAliasInput(String model, String alias, int version) {
    }

    record DeployModelInput(String endpoint, String model, Integer version, String alias, Integer trafficPercent,
                            String reason, DeploymentMode mode) {
    }

    record RollBackEndpointInput(String endpoint, String reason, Instant asOf) {
    }

    record ConfigureDriftMonitorInput(String endpoint, double psiThreshold, int windowSize, Integer windowSeconds,
                                      Double criticalPsiThreshold, List<FeatureDriftRuleInput> features,
                                      Double maxErrorRate) {
    }

    record FeatureDriftRuleInput(String feature, DriftTest test, Double threshold, Double criticalThreshold,
                                 Boolean enabled) {

        FeatureDriftRule rule() {
            return new FeatureDriftRule(feature, test, threshold, criticalThreshold, !Boolean.FALSE.equals(enabled));
        }
    }

    /** The entity a payload names is resolved from the read model when asked for. */
    record AssignModelAliasPayload(ModelName target, String alias, Integer version, List<UserError> errors) {
    }

    record DeployModelPayload(EndpointName target, Integer revision, List<UserError> errors) {
    }

    record RollBackEndpointPayload(EndpointName target, Integer revision, List<UserError> errors) {
    }

    record ConfigureDriftMonitorPayload(EndpointName target, DriftMonitorSettings settings, List<UserError> errors) {
    }

    @QueryMapping
    Page<ModelView> models(@Argument Integer first, @Argument String after) {
        return queries.page(new FindModels(Queries.request(first, after)), ModelView.class);
    }

    @QueryMapping
    ModelView model(@Argument String name) {
        return queries.one(new FindModel(ModelName.of(name)), ModelView.class).orElse(null);
    }

    /**
     * A version read whole has its evaluations; one read in part (lineage, batch impact) gets them here, with every
     * other such version of the answer, in one request.
     */
    @BatchMapping(typeName = "ModelVersion", field = "evaluations")
    Map<ModelVersionView, List<EvaluationView>> evaluations(List<ModelVersionView> versions) {
        List<ModelVersionRef> missing = versions.stream().filter(v -> v.evaluations() == null)
                .map(ModelVersionView::ref).distinct().toList();
        Map<String, List<EvaluationView>> read = new HashMap<>();
        if (!missing.isEmpty()) {
            queries.gateway().query(new FindModelVersionsByRef(missing),
                            ResponseTypes.multipleInstancesOf(ModelVersionView.class)).join()
                    .forEach(v -> read.put(v.ref().toString(), v.evaluations()));
        }
        Map<ModelVersionView, List<EvaluationView>> evaluations = new LinkedHashMap<>();
        for (ModelVersionView version : versions) {
            List<EvaluationView> found = version.evaluations() != null ? version.evaluations()
                    : read.get(version.ref().toString());
            evaluations.put(version, found == null ? List.of() : found);
        }
        return evaluations;
    }

    record EvaluateModelVersionInput(String model, int version, String dataset, String batchId) {
    }

    /** {@code evaluationId} is known at once; the worker's result appears in the version's evaluations. */
    record EvaluateModelVersionPayload(String evaluationId, List<UserError> errors) {
    }

    @MutationMapping
    EvaluateModelVersionPayload evaluateModelVersion(@Argument EvaluateModelVersionInput input,
                                                     GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("model '" + input.model() + "' does not exist", null, () -> {
            EvaluationId id = EvaluationId.random();
            commands.send(new EvaluateModelVersion(ModelName.of(input.model()), input.version(), id,
                    new BatchRef(DatasetName.of(input.dataset()), BatchId.of(input.batchId()))), actor, null);
            return new EvaluateModelVersionPayload(id.value(), List.of());
        }, errors -> new EvaluateModelVersionPayload(null, errors));
    }

    @SchemaMapping(typeName = "Model", field = "versions")
    Page<ModelVersionView> versions(ModelView model, @Argument Integer first, @Argument String after) {
        return queries.page(new FindModelVersions(ModelName.of(model.name()), Queries.request(first, after)),
                ModelVersionView.class);
    }

    @QueryMapping
    Page<EndpointView> endpoints(@Argument Integer first, @Argument String after) {
        return queries.page(new FindEndpoints(Queries.request(first, after)), EndpointView.class);
    }

    @QueryMapping
    EndpointView endpoint(@Argument String name) {
        return endpoint(EndpointName.of(name));
    }

    private EndpointView endpoint(EndpointName name) {
        return queries.one(new FindEndpoint(name), EndpointView.class).orElse(null);
    }

    @QueryMapping
    Lineage lineage(@Argument String model, @Argument int version) {
        return queries.one(new FindModelLineage(ModelName.of(model), version), Lineage.class).orElse(null);
    }

    /** "What data trained the model that is serving now?" in one query: the version with the most traffic. */
    @SchemaMapping(typeName = "Endpoint", field = "servingLineage")
    Lineage servingLineage(EndpointView endpoint) {
        return endpoint.targets().stream().max(java.util.Comparator.comparingInt(TargetView::trafficPercent))
                .flatMap(serving -> queries.one(new FindModelLineage(ModelName.of(serving.model()),
                        serving.version()), Lineage.class))
                .orElse(null);
    }

    @MutationMapping
    AssignModelAliasPayload assignModelAlias(@Argument AssignModelAliasInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("model '" + input.model() + "' does not exist", null, () -> {
            ModelName model = ModelName.of(input.model());
            commands.send(new AssignModelAlias(model, input.alias(), input.version()), actor, null);
            return new AssignModelAliasPayload(model, input.alias(), input.version(), List.of());
        }, errors -> new AssignModelAliasPayload(null, null, null, errors));
    }

    @SchemaMapping(typeName = "AssignModelAliasPayload", field = "model")
    ModelView assigned(AssignModelAliasPayload payload) {
        return payload.target() == null ? null : ReadYourWrites.await("alias '" + payload.alias() + "' of model '"
                        + payload.target() + "'", () -> queries.one(new FindModel(payload.target()), ModelView.class),
                m -> m.aliases().stream().anyMatch(a -> a.alias().equals(payload.alias())
                        && a.version() == payload.version()));
    }

    @MutationMapping
    DeployModelPayload deployModel(@Argument DeployModelInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("endpoint '" + input.endpoint() + "' does not exist", null, () -> {
            EndpointName endpoint = EndpointName.of(input.endpoint());
            Integer revision = commands.send(new DeployModelVersion(endpoint, ModelName.of(input.model()),
                    input.version(), input.alias(), input.trafficPercent(), input.reason(), input.mode()), actor,
                    null);
            return new DeployModelPayload(endpoint, revision, List.of());
        }, errors -> new DeployModelPayload(null, null, errors));
    }

    @SchemaMapping(typeName = "DeployModelPayload", field = "endpoint")
    EndpointView deployed(DeployModelPayload payload) {
        return withRevision(payload.target(), payload.revision());
    }

    @MutationMapping
    RollBackEndpointPayload rollBackEndpoint(@Argument RollBackEndpointInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("endpoint '" + input.endpoint() + "' does not exist", null, () -> {
            EndpointName endpoint = EndpointName.of(input.endpoint());
            Integer revision = commands.send(new RollBackEndpoint(endpoint, input.reason(), input.asOf()), actor,
                    null);
            return new RollBackEndpointPayload(endpoint, revision, List.of());
        }, errors -> new RollBackEndpointPayload(null, null, errors));
    }

    @SchemaMapping(typeName = "RollBackEndpointPayload", field = "endpoint")
    EndpointView rolledBack(RollBackEndpointPayload payload) {
        return withRevision(payload.target(), payload.revision());
    }

    private EndpointView withRevision(EndpointName name, Integer revision) {
        return name == null ? null : ReadYourWrites.await("revision " + revision + " of endpoint '" + name + "'",
                () -> queries.one(new FindEndpoint(name), EndpointView.class),
                e -> e.revisions().stream().anyMatch(r -> r.revision() == revision));
    }

    @MutationMapping
    ConfigureDriftMonitorPayload configureDriftMonitor(@Argument ConfigureDriftMonitorInput input,
                                                       GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("endpoint '" + input.endpoint() + "' does not exist", null, () -> {
            EndpointName endpoint = EndpointName.of(input.endpoint());
            ConfigureDriftMonitor command = new ConfigureDriftMonitor(endpoint, input.psiThreshold(),
                    input.windowSize(), input.windowSeconds(), input.criticalPsiThreshold(), input.features() == null
                    ? List.of() : input.features().stream().map(FeatureDriftRuleInput::rule).toList(),
                    input.maxErrorRate());
            commands.send(command, actor, null);
            return new ConfigureDriftMonitorPayload(endpoint, command.settings(), List.of());
        }, errors -> new ConfigureDriftMonitorPayload(null, null, errors));
    }

    record ConfigureRolloutPolicyInput(String endpoint, Boolean rollBackOnDrift, Double minPsi,
                                       io.annals.command.api.drift.DriftSeverity minSeverity) {
    }

    record ConfigureRolloutPolicyPayload(Boolean rollBackOnDrift, Double minPsi,
                                         io.annals.command.api.drift.DriftSeverity minSeverity,
                                         List<UserError> errors) {
    }

    @MutationMapping
    ConfigureRolloutPolicyPayload configureRolloutPolicy(@Argument ConfigureRolloutPolicyInput input,
                                                         GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("endpoint '" + input.endpoint() + "' does not exist", null, () -> {
            boolean on = Boolean.TRUE.equals(input.rollBackOnDrift());
            commands.send(new ConfigureRolloutPolicy(EndpointName.of(input.endpoint()), on, input.minPsi(),
                    input.minSeverity()), actor, null);
            return new ConfigureRolloutPolicyPayload(on, input.minPsi(), input.minSeverity(), List.of());
        }, errors -> new ConfigureRolloutPolicyPayload(null, null, null, errors));
    }

    @SchemaMapping(typeName = "ConfigureDriftMonitorPayload", field = "endpoint")
    EndpointView configured(ConfigureDriftMonitorPayload payload) {
        return payload.target() == null ? null : ReadYourWrites.await("the drift settings of endpoint '"
                        + payload.target() + "'", () -> queries.one(new FindEndpoint(payload.target()),
                        EndpointView.class), e -> payload.settings().equals(e.driftMonitor()));
    }
}
