package io.annals.app.graphql;

import graphql.GraphQLContext;
import io.annals.app.graphql.Mutations.UserError;
import io.annals.app.security.Caller;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.Page;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.BatchImpact;
import io.annals.command.api.dataset.BatchView;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.dataset.DatasetView;
import io.annals.command.api.dataset.FindBatch;
import io.annals.command.api.dataset.FindBatchImpact;
import io.annals.command.api.dataset.FindBatches;
import io.annals.command.api.dataset.FindDataset;
import io.annals.command.api.dataset.FindDatasets;
import io.annals.command.api.dataset.RegisterDataset;
import io.annals.command.api.dataset.RepointPartition;
import graphql.schema.DataFetchingFieldSelectionSet;
import graphql.schema.SelectedField;
import io.annals.workers.ingest.BatchIngestService;
import io.annals.workers.port.CommandPort;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/** Datasets, their batches, and what a batch touched. */
@Controller
class DatasetController {

    private final CommandPort commands;
    private final Queries queries;
    private final BatchIngestService ingest;

    DatasetController(CommandPort commands, Queries queries, BatchIngestService ingest) {
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

    /** {@code dataset} is resolved from the read model when asked for. */
    record RegisterDatasetPayload(DatasetName registered, List<UserError> errors) {
    }

    record IngestBatchPayload(BatchId ingested, List<UserError> errors) {
    }

    record RepointPartitionInput(String dataset, String partition, String batchId, String reason) {
    }

    /** {@code dataset} is the dataset once the read model shows the partition pointing at the batch. */
    record RepointPartitionPayload(RepointPartition repointed, List<UserError> errors) {
    }

    @QueryMapping
    String me(GraphQLContext context) {
        return Caller.require(context).value();
    }

    @QueryMapping
    Page<DatasetView> datasets(@Argument Integer first, @Argument String after) {
        return queries.page(new FindDatasets(Queries.request(first, after)), DatasetView.class);
    }

    @QueryMapping
    DatasetView dataset(@Argument String name, @Argument Instant asOf) {
        return queries.one(new FindDataset(DatasetName.of(name), asOf), DatasetView.class).orElse(null);
    }

    @QueryMapping
    BatchImpact batchImpact(@Argument String batchId, DataFetchingFieldSelectionSet selection) {
        // a batch read by thousands of runs: read only the fields of runs and versions this request selects
        return queries.one(new FindBatchImpact(BatchId.of(batchId), selected(selection, "runs"),
                selected(selection, "modelVersions"), named(selection, "endpoints").findAny().isPresent()),
                BatchImpact.class)
                .orElse(null);
    }

    /** The fields selected under {@code field}. */
    private static Set<String> selected(DataFetchingFieldSelectionSet selection, String field) {
        return named(selection, field).flatMap(f -> f.getSelectionSet().getImmediateFields().stream())
                .map(SelectedField::getName).filter(name -> !name.startsWith("__")).collect(Collectors.toSet());
    }

    /**
     * The selections of {@code field} directly under this one (once per alias), found by name: a glob such as
     * "runs/*" would compile a pattern per request.
     */
    private static Stream<SelectedField> named(DataFetchingFieldSelectionSet selection, String field) {
        return selection.getImmediateFields().stream().filter(f -> f.getName().equals(field));
    }

    @SchemaMapping(typeName = "Dataset", field = "batches")
    Page<BatchView> batches(DatasetView dataset, @Argument Integer first, @Argument String after) {
        return queries.page(new FindBatches(DatasetName.of(dataset.name()), Queries.request(first, after)),
                BatchView.class);
    }

    @MutationMapping
    RegisterDatasetPayload registerDataset(@Argument RegisterDatasetInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("dataset not found", "dataset '" + input.name() + "' already exists", () -> {
            List<ColumnSpec> columns = input.columns().stream()
                    .map(c -> new ColumnSpec(c.name(), c.type(), Boolean.TRUE.equals(c.nullable()))).toList();
            DatasetName name = DatasetName.of(input.name());
            commands.send(new RegisterDataset(name, new DatasetSchema(columns), input.description()), actor, null);
            return new RegisterDatasetPayload(name, List.of());
        }, errors -> new RegisterDatasetPayload(null, errors));
    }

    @SchemaMapping(typeName = "RegisterDatasetPayload", field = "dataset")
    DatasetView registered(RegisterDatasetPayload payload) {
        return payload.registered() == null ? null : ReadYourWrites.await("dataset '" + payload.registered() + "'",
                () -> queries.one(new FindDataset(payload.registered()), DatasetView.class), d -> true);
    }

    @MutationMapping
    IngestBatchPayload ingestBatch(@Argument IngestBatchInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("dataset '" + input.dataset() + "' does not exist", null, () -> {
            var batch = ingest.ingest(DatasetName.of(input.dataset()), input.partition(),
                    new ByteArrayInputStream(input.csv().getBytes(StandardCharsets.UTF_8)), actor);
            return new IngestBatchPayload(batch.batchId(), List.of());
        }, errors -> new IngestBatchPayload(null, errors));
    }

    @SchemaMapping(typeName = "IngestBatchPayload", field = "batch")
    BatchView ingested(IngestBatchPayload payload) {
        return payload.ingested() == null ? null : ReadYourWrites.await("batch " + payload.ingested(),
                () -> queries.one(new FindBatch(payload.ingested()), BatchView.class), b -> true);
    }

    @MutationMapping
    RepointPartitionPayload repointPartition(@Argument RepointPartitionInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("dataset '" + input.dataset() + "' does not exist", null, () -> {
            RepointPartition command = new RepointPartition(DatasetName.of(input.dataset()), input.partition(),
                    BatchId.of(input.batchId()), input.reason());
            commands.send(command, actor, null);
            return new RepointPartitionPayload(command, List.of());
        }, errors -> new RepointPartitionPayload(null, errors));
    }

    @SchemaMapping(typeName = "RepointPartitionPayload", field = "dataset")
    DatasetView repointed(RepointPartitionPayload payload) {
        RepointPartition command = payload.repointed();
        return command == null ? null : ReadYourWrites.await("partition '" + command.partition() + "' of dataset '"
                        + command.dataset() + "'", () -> queries.one(new FindDataset(command.dataset()), DatasetView.class),
                d -> d.partitions().stream().anyMatch(p -> p.partition().equals(command.partition())
                        && p.batchId().equals(command.batchId().value())));
    }
}
