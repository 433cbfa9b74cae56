package io.annals.app.graphql;

import graphql.GraphQLContext;
import io.annals.app.security.Caller;
import io.annals.query.elastic.View;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.dataset.FindBatchImpact;
import io.annals.command.api.dataset.FindDataset;
import io.annals.command.api.dataset.FindDatasets;
import io.annals.command.api.dataset.RegisterDataset;
import io.annals.workers.ingest.BatchIngestService;
import io.annals.workers.port.CommandPort;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

@Controller
class DatasetController {

    private final CommandPort commands;
    private final QueryGateway queries;
    private final BatchIngestService ingest;

    DatasetController(CommandPort commands, QueryGateway queries, BatchIngestService ingest) {
        this.commands = commands;
        this.queries = queries;
        this.ingest = ingest;
    }

    record ColumnInput(String name, ColumnType type, Boolean nullable) {
    }

    record RegisterDatasetInput(String name, String description, List<ColumnInput> columns) {
    }

    record IngestBatchInput(String dataset, String partition, String csv) {
    }

    @QueryMapping
    String me(GraphQLContext context) {
        return Caller.require(context);
    }

    @QueryMapping
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Map<String, Object>> datasets(GraphQLContext context) {
        Caller.require(context);
        return (List) queries.query(new FindDatasets(), ResponseTypes.multipleInstancesOf(View.class)).join();
    }

    @QueryMapping
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, Object> dataset(@Argument String name, GraphQLContext context) {
        Caller.require(context);
        return (Map) queries.query(new FindDataset(DatasetName.of(name)), ResponseTypes.optionalInstanceOf(View.class))
                .join().orElse(null);
    }

    @QueryMapping
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, Object> batchImpact(@Argument String batchId, GraphQLContext context) {
        Caller.require(context);
        return (Map) queries.query(new FindBatchImpact(BatchId.of(batchId)),
                ResponseTypes.optionalInstanceOf(View.class)).join().orElse(null);
    }

    /** The list query leaves batches out; fetch them only when asked for. */
    @SchemaMapping(typeName = "Dataset", field = "batches")
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Map<String, Object>> batches(Map<String, Object> dataset) {
        Object batches = dataset.get("batches");
        if (batches != null) {
            return (List<Map<String, Object>>) batches;
        }
        return queries.query(new FindDataset(DatasetName.of((String) dataset.get("name"))),
                        ResponseTypes.optionalInstanceOf(View.class)).join()
                .map(d -> (List<Map<String, Object>>) ((Map) d).get("batches")).orElse(List.of());
    }

    @MutationMapping
    Map<String, Object> registerDataset(@Argument RegisterDatasetInput input, GraphQLContext context) {
        String actor = Caller.require(context);
        return Mutations.run("dataset not found", "dataset '" + input.name() + "' already exists", () -> {
            List<ColumnSpec> columns = input.columns().stream()
                    .map(c -> new ColumnSpec(c.name(), c.type(), Boolean.TRUE.equals(c.nullable()))).toList();
            DatasetName name = DatasetName.of(input.name());
            commands.send(new RegisterDataset(name, new DatasetSchema(columns), input.description()), actor, null);
            return Mutations.result("dataset", name.value());
        });
    }

    @MutationMapping
    Map<String, Object> ingestBatch(@Argument IngestBatchInput input, GraphQLContext context) {
        String actor = Caller.require(context);
        return Mutations.run("dataset '" + input.dataset() + "' does not exist", null, () -> {
            var batch = ingest.ingest(DatasetName.of(input.dataset()), input.partition(),
                    new ByteArrayInputStream(input.csv().getBytes(StandardCharsets.UTF_8)), actor);
            return Mutations.result("batchId", batch.batchId().value(), "rows", batch.rows(),
                    "sha256", batch.artifact().sha256(), "location", batch.artifact().location());
        });
    }
}
