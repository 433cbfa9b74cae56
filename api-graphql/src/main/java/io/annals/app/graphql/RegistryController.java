package io.annals.app.graphql;

import graphql.GraphQLContext;
import io.annals.app.security.Caller;
import io.annals.query.elastic.View;
import io.annals.command.api.endpoint.ConfigureDriftMonitor;
import io.annals.command.api.endpoint.DeployModelVersion;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.endpoint.FindEndpoint;
import io.annals.command.api.endpoint.FindEndpoints;
import io.annals.command.api.endpoint.RollBackEndpoint;
import io.annals.command.api.model.AssignModelAlias;
import io.annals.command.api.model.FindModel;
import io.annals.command.api.model.FindModelLineage;
import io.annals.command.api.model.FindModels;
import io.annals.command.api.model.ModelName;
import io.annals.workers.port.CommandPort;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/** Models, their versions and aliases, endpoints and their revisions, and lineage. */
@Controller
class RegistryController {

    private final CommandPort commands;
    private final QueryGateway queries;

    RegistryController(CommandPort commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    record AssignModelAliasInput(String model, String alias, int version) {
    }

    record DeployModelInput(String endpoint, String model, Integer version, String alias, Integer trafficPercent,
                            String reason) {
    }

    record RollBackEndpointInput(String endpoint, String reason, String asOf) {
    }

    record ConfigureDriftMonitorInput(String endpoint, double psiThreshold, int windowSize) {
    }

    @QueryMapping
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Map<String, Object>> models(GraphQLContext context) {
        Caller.require(context);
        return (List) queries.query(new FindModels(), ResponseTypes.multipleInstancesOf(View.class)).join();
    }

    @QueryMapping
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, Object> model(@Argument String name, GraphQLContext context) {
        Caller.require(context);
        return (Map) queries.query(new FindModel(ModelName.of(name)), ResponseTypes.optionalInstanceOf(View.class))
                .join().orElse(null);
    }

    @SchemaMapping(typeName = "Model", field = "versions")
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Map<String, Object>> versions(Map<String, Object> model) {
        Object versions = model.get("versions");
        if (versions != null) {
            return (List<Map<String, Object>>) versions;
        }
        return queries.query(new FindModel(ModelName.of((String) model.get("name"))),
                        ResponseTypes.optionalInstanceOf(View.class)).join()
                .map(m -> (List<Map<String, Object>>) ((Map) m).get("versions")).orElse(List.of());
    }

    @QueryMapping
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Map<String, Object>> endpoints(GraphQLContext context) {
        Caller.require(context);
        return (List) queries.query(new FindEndpoints(), ResponseTypes.multipleInstancesOf(View.class)).join();
    }

    @QueryMapping
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, Object> endpoint(@Argument String name, GraphQLContext context) {
        Caller.require(context);
        return (Map) queries.query(new FindEndpoint(EndpointName.of(name)),
                ResponseTypes.optionalInstanceOf(View.class)).join().orElse(null);
    }

    @QueryMapping
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, Object> lineage(@Argument String model, @Argument int version, GraphQLContext context) {
        Caller.require(context);
        return (Map) queries.query(new FindModelLineage(ModelName.of(model), version),
                ResponseTypes.optionalInstanceOf(View.class)).join().orElse(null);
    }

    /** "What data trained the model that is serving now?" in one query. */
    @SchemaMapping(typeName = "Endpoint", field = "servingLineage")
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, Object> servingLineage(Map<String, Object> endpoint) {
        List<Map<String, Object>> targets = (List<Map<String, Object>>) endpoint.get("targets");
        if (targets == null || targets.isEmpty()) {
            return null;
        }
        Map<String, Object> serving = targets.get(0);
        return (Map) queries.query(new FindModelLineage(ModelName.of((String) serving.get("model")),
                ((Number) serving.get("version")).intValue()), ResponseTypes.optionalInstanceOf(View.class))
                .join().orElse(null);
    }

    @MutationMapping
    Map<String, Object> assignModelAlias(@Argument AssignModelAliasInput input, GraphQLContext context) {
        String actor = Caller.require(context);
        return Mutations.run("model '" + input.model() + "' does not exist", null, () -> {
            commands.send(new AssignModelAlias(ModelName.of(input.model()), input.alias(), input.version()), actor,
                    null);
            return Mutations.result("model", input.model(), "alias", input.alias(), "version", input.version());
        });
    }

    @MutationMapping
    Map<String, Object> deployModel(@Argument DeployModelInput input, GraphQLContext context) {
        String actor = Caller.require(context);
        return Mutations.run("endpoint '" + input.endpoint() + "' does not exist", null, () -> {
            Integer revision = commands.send(new DeployModelVersion(EndpointName.of(input.endpoint()),
                    ModelName.of(input.model()), input.version(), input.alias(), input.trafficPercent(),
                    input.reason()), actor, null);
            return Mutations.result("endpoint", input.endpoint(), "revision", revision);
        });
    }

    @MutationMapping
    Map<String, Object> rollBackEndpoint(@Argument RollBackEndpointInput input, GraphQLContext context) {
        String actor = Caller.require(context);
        return Mutations.run("endpoint '" + input.endpoint() + "' does not exist", null, () -> {
            Instant asOf;
            try {
                asOf = input.asOf() == null ? null : Instant.parse(input.asOf());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("asOf '" + input.asOf() + "' is not an ISO-8601 instant such as "
                        + "2026-11-23T10:15:30Z");
            }
            Integer revision = commands.send(new RollBackEndpoint(EndpointName.of(input.endpoint()), input.reason(),
                    asOf), actor, null);
            return Mutations.result("endpoint", input.endpoint(), "revision", revision);
        });
    }

    @MutationMapping
    Map<String, Object> configureDriftMonitor(@Argument ConfigureDriftMonitorInput input, GraphQLContext context) {
        String actor = Caller.require(context);
        return Mutations.run("endpoint '" + input.endpoint() + "' does not exist", null, () -> {
            commands.send(new ConfigureDriftMonitor(EndpointName.of(input.endpoint()), input.psiThreshold(),
                    input.windowSize()), actor, null);
            return Mutations.result("endpoint", input.endpoint());
        });
    }
}
