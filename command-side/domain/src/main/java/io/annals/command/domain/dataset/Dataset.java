package io.annals.command.domain.dataset;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.annals.command.api.common.StreamId;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnStatistics;
import io.annals.command.api.dataset.DatasetBatchIngested;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetPartitionRepointed;
import io.annals.command.api.dataset.DatasetRegistered;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.dataset.IngestDatasetBatch;
import io.annals.command.api.dataset.RegisterDataset;
import io.annals.command.api.dataset.RepointPartition;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.domain.config.StreamTargetResolver;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/** A dataset: its schema and every batch ever ingested into it. Batches are never changed or removed. */
@Aggregate(commandTargetResolver = StreamTargetResolver.BEAN)
public class Dataset {

    /** {@code <kind>:<name>}: each kind of entity has its own identifier space in the event store. */
    @AggregateIdentifier
    private String streamId;
    private DatasetName name;
    private DatasetSchema schema;
    private final Map<BatchId, BatchInput> batches = new HashMap<>();
    private final Map<BatchId, String> partitionOf = new HashMap<>();
    /**
     * The batch each partition points at now: the last one ingested into it, or the one it was re-pointed at since,
     * in the order the partitions were first written.
     */
    private final Map<String, BatchInput> currentByPartition = new LinkedHashMap<>();
    private final Map<BatchId, Integer> order = new HashMap<>();

    protected Dataset() {
    }

    @CommandHandler
    public Dataset(RegisterDataset command) {
        apply(new DatasetRegistered(command.name(), command.schema(), command.description()));
    }

    @CommandHandler
    public void handle(IngestDatasetBatch command) {
        BatchInput existing = batches.get(command.batchId());
        if (existing != null) {
            if (existing.sha256().equals(command.sha256()) && existing.location().equals(command.location())) {
                return; // the same batch again (a worker's retry): it is recorded
            }
            throw new IllegalArgumentException("batch " + command.batchId() + " already exists in dataset " + name);
        }
        List<ColumnStatistics> stats = command.statistics();
        List<ColumnSpec> columns = schema.columns();
        if (stats.size() != columns.size()) {
            throw new IllegalArgumentException("batch statistics cover " + stats.size() + " columns but dataset "
                    + name + " has " + columns.size());
        }
        for (int i = 0; i < columns.size(); i++) {
            if (!columns.get(i).name().equals(stats.get(i).column())) {
                throw new IllegalArgumentException("batch statistics column " + (i + 1) + " is '"
                        + stats.get(i).column() + "' but the schema's is '" + columns.get(i).name() + "'");
            }
        }
        if (command.rows() < 1) {
            throw new IllegalArgumentException("a batch needs at least one row");
        }
        apply(new DatasetBatchIngested(name, command.batchId(), command.partition(), command.location(),
                command.sha256(), command.rows(), command.sizeBytes(), stats));
    }

    /**
     * Any batch of the partition may become its current one again: an earlier one to undo a bad batch, or a later one
     * to undo a re-point. Pointing it where it points already records nothing (a retry).
     */
    @CommandHandler
    public void handle(RepointPartition command) {
        BatchInput target = batches.get(command.batchId());
        if (target == null) {
            throw DomainException.notFound("dataset " + name + " has no batch " + command.batchId());
        }
        String partition = partitionOf.get(command.batchId());
        if (!partition.equals(command.partition())) {
            throw new IllegalArgumentException("batch " + command.batchId() + " belongs to partition '" + partition
                    + "' of dataset " + name + ", not to '" + command.partition() + "'");
        }
        BatchInput current = currentByPartition.get(partition);
        if (current.batch().batchId().equals(command.batchId())) {
            return;
        }
        apply(new DatasetPartitionRepointed(name, partition, command.batchId(), current.batch().batchId(),
                command.reason()));
    }

    Optional<BatchInput> batch(BatchId batchId) {
        return Optional.ofNullable(batches.get(batchId));
    }

    DatasetSchema schema() {
        return schema;
    }

    /** The current batch of each partition, in the order those batches were ingested. */
    List<BatchInput> currentBatches() {
        return List.copyOf(pointedAt(List.of()).values());
    }

    /** The current batch of each of these partitions (all when none are named), in the order they were ingested. */
    Map<String, BatchInput> pointedAt(java.util.Collection<String> partitions) {
        Map<String, BatchInput> pointed = new LinkedHashMap<>();
        currentByPartition.entrySet().stream()
                .filter(e -> partitions.isEmpty() || partitions.contains(e.getKey()))
                .sorted(Comparator.comparingInt(e -> order.get(e.getValue().batch().batchId())))
                .forEach(e -> pointed.put(e.getKey(), e.getValue()));
        return pointed;
    }

    @EventSourcingHandler
    void on(DatasetRegistered event) {
        name = event.name();
        streamId = StreamId.of(name).toString();
        schema = event.schema();
    }

    @EventSourcingHandler
    void on(DatasetBatchIngested event) {
        BatchInput input = new BatchInput(new BatchRef(event.dataset(), event.batchId()), event.location(),
                event.sha256(), event.rows());
        batches.put(event.batchId(), input);
        order.put(event.batchId(), order.size());
        partitionOf.put(event.batchId(), event.partition());
        currentByPartition.put(event.partition(), input);
    }

    @EventSourcingHandler
    void on(DatasetPartitionRepointed event) {
        currentByPartition.put(event.partition(), batches.get(event.batchId()));
    }
}
