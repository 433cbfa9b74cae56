package io.annals.command.domain.trainingset;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.featureset.FeatureSetDefinition;
import io.annals.command.api.featureset.FeatureSetName;
import io.annals.command.api.featureset.FeatureSpec;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingset.ClaimTrainingSet;
import io.annals.command.api.trainingset.CompleteTrainingSet;
import io.annals.command.api.trainingset.FailTrainingSet;
import io.annals.command.api.trainingset.LabelSpec;
import io.annals.command.api.trainingset.MaterializeTrainingSet;
import io.annals.command.api.trainingset.RecordTrainingSetProgress;
import io.annals.command.api.trainingset.ReleaseExpiredTrainingSetLease;
import io.annals.command.api.trainingset.TrainingSetClaimed;
import io.annals.command.api.trainingset.TrainingSetFailed;
import io.annals.command.api.trainingset.TrainingSetId;
import io.annals.command.api.trainingset.TrainingSetLeaseExpired;
import io.annals.command.api.trainingset.TrainingSetMaterialized;
import io.annals.command.api.trainingset.TrainingSetOutput;
import io.annals.command.api.trainingset.TrainingSetProgressed;
import io.annals.command.api.trainingset.TrainingSetRef;
import io.annals.command.api.trainingset.TrainingSetRequested;
import io.annals.command.api.trainingset.TrainingSetStatus;
import io.annals.command.domain.config.StreamTargetResolver;
import io.annals.command.domain.dataset.DatasetCatalog;
import io.annals.command.domain.featureset.FeatureSetCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A job that materialises a point-in-time-correct training set. Asking for it pins everything it reads (the feature
 * set version's definition, the source batches current in each partition, the label batches) so that the result
 * never depends on when a worker gets to it; then a worker claims it under a lease, reports progress (which renews
 * the lease), and completes it with the batch it wrote, or fails it. A lease that runs out frees the job for another
 * worker, up to {@value #MAX_ATTEMPTS} attempts.
 */
@Aggregate(commandTargetResolver = StreamTargetResolver.BEAN)
public class TrainingSet {

    static final int MAX_ATTEMPTS = 3;

    /** {@code <kind>:<name>}: each kind of entity has its own identifier space in the event store. */
    @AggregateIdentifier
    private String streamId;
    private TrainingSetId id;
    private FeatureSetName featureSet;
    private int version;
    private TrainingSetStatus status;
    private String workerId;
    private Instant leaseExpiresAt;
    private int attempt;
    private TrainingSetOutput output;

    protected TrainingSet() {
    }

    @CommandHandler
    public TrainingSet(MaterializeTrainingSet command, FeatureSetCatalog featureSets, DatasetCatalog datasets) {
        FeatureSetDefinition definition = featureSets.version(command.featureSet(), command.version())
                .orElseThrow(() -> DomainException.notFound("feature set '" + command.featureSet()
                        + "' has no version " + command.version()));
        DatasetSchema sourceSchema = datasets.schema(definition.source()).orElseThrow(() ->
                DomainException.notFound("source dataset '" + definition.source() + "' does not exist"));
        List<BatchInput> sources = datasets.currentBatches(definition.source());
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("source dataset '" + definition.source()
                    + "' has no batches yet: there is nothing to compute features from");
        }
        LabelSpec labels = command.labels();
        DatasetSchema labelSchema = datasets.schema(labels.dataset()).orElseThrow(() ->
                DomainException.notFound("label dataset '" + labels.dataset() + "' does not exist"));
        List<BatchInput> labelBatches = new ArrayList<>();
        for (var batchId : labels.batchIds()) {
            labelBatches.add(datasets.batch(new BatchRef(labels.dataset(), batchId)).orElseThrow(() ->
                    DomainException.notFound("batch " + batchId + " does not exist in label dataset '"
                            + labels.dataset() + "'")));
        }
        DatasetSchema output = outputSchema(command, definition, sourceSchema, labelSchema);
        datasets.schema(command.output()).filter(existing -> !existing.equals(output)).ifPresent(existing -> {
            throw DomainException.conflict("dataset '" + command.output() + "' exists with other columns "
                    + existing.columns() + "; a training set writes " + output.columns());
        });
        apply(new TrainingSetRequested(command.id(), command.featureSet(), command.version(), definition,
                sourceSchema, sources, labels, labelSchema, labelBatches, command.output(), output));
    }

    /**
     * The columns the training set has: the label rows' keys, time and label, then one column per feature (nullable
     * unless it always has a value); checks that the labels match the feature set's keys.
     */
    static DatasetSchema outputSchema(MaterializeTrainingSet command, FeatureSetDefinition definition,
                                      DatasetSchema sourceSchema, DatasetSchema labelSchema) {
        LabelSpec labels = command.labels();
        return outputSchema(command.featureSet(), command.version(), definition, sourceSchema, labels.dataset(),
                labelSchema, labels.entityKeys(), labels.timestampColumn(), labels.labelColumn());
    }

    /**
     * The columns a training set of version {@code version} of {@code featureSet} has for label rows of
     * {@code labelDataset} with these key, time and label columns; refuses labels that do not fit the feature set.
     */
    public static DatasetSchema outputSchema(FeatureSetName featureSet, int version, FeatureSetDefinition definition,
                                             DatasetSchema sourceSchema, DatasetName labelDataset,
                                             DatasetSchema labelSchema, List<String> entityKeys,
                                             String timestampColumn, String labelColumn) {
        String where = "label dataset '" + labelDataset + "'";
        if (entityKeys.size() != definition.entityKeys().size()) {
            throw new IllegalArgumentException("the labels name " + entityKeys.size()
                    + " entity key column(s) " + entityKeys + "; feature set '" + featureSet + "' version "
                    + version + " is keyed by " + definition.entityKeys().size() + ": "
                    + definition.entityKeys());
        }
        List<ColumnSpec> columns = new ArrayList<>();
        for (int i = 0; i < entityKeys.size(); i++) {
            ColumnSpec key = labelColumn(labelSchema, entityKeys.get(i), "entity key column", where);
            ColumnType sourceType = sourceSchema.column(definition.entityKeys().get(i)).map(ColumnSpec::type)
                    .orElseThrow();
            if (key.type() != sourceType) {
                throw new IllegalArgumentException("entity key column '" + key.name() + "' of " + where + " is "
                        + key.type() + " but the feature set's key '" + definition.entityKeys().get(i) + "' is "
                        + sourceType);
            }
            columns.add(key);
        }
        ColumnSpec time = labelColumn(labelSchema, timestampColumn, "timestamp column", where);
        if (time.type() != ColumnType.TIMESTAMP) {
            throw new IllegalArgumentException("timestamp column '" + time.name() + "' of " + where + " is "
                    + time.type() + ", not TIMESTAMP");
        }
        columns.add(time);
        ColumnSpec label = labelColumn(labelSchema, labelColumn, "label column", where);
        columns.add(label);
        Set<String> names = new HashSet<>();
        for (ColumnSpec c : columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("column '" + c.name() + "' of " + where
                        + " is named twice among the keys, the timestamp and the label");
            }
        }
        for (FeatureSpec f : definition.features()) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("feature '" + f.name() + "' has the name of a label column; "
                        + "name the label columns differently");
            }
            ColumnType type = sourceSchema.column(f.column()).map(ColumnSpec::type).orElseThrow();
            columns.add(new ColumnSpec(f.name(), f.aggregation().outputType(type), !f.aggregation().alwaysHasValue()));
        }
        return new DatasetSchema(columns);
    }

    private static ColumnSpec labelColumn(DatasetSchema schema, String name, String role, String where) {
        return schema.column(name).orElseThrow(() -> new IllegalArgumentException(role + " '" + name
                + "' is not in " + where + " (its columns: " + schema.columns().stream().map(ColumnSpec::name)
                .toList() + ")"));
    }

    @CommandHandler
    public void handle(ClaimTrainingSet command) {
        requireNotFinished();
        if (status == TrainingSetStatus.RUNNING && !command.workerId().equals(workerId)
                && command.now().isBefore(leaseExpiresAt)) {
            throw DomainException.conflict("training set " + id + " is claimed by " + workerId + " until "
                    + leaseExpiresAt);
        }
        boolean renewal = status == TrainingSetStatus.RUNNING && command.workerId().equals(workerId);
        apply(new TrainingSetClaimed(id, command.workerId(), renewal ? attempt : attempt + 1,
                command.now().plus(command.lease())));
    }

    @CommandHandler
    public void handle(RecordTrainingSetProgress command) {
        requireHeldBy(command.workerId());
        apply(new TrainingSetProgressed(id, command.phase(), command.done(), command.total(),
                command.now().plus(command.lease())));
    }

    @CommandHandler
    public void handle(CompleteTrainingSet command) {
        requireHeldBy(command.workerId());
        apply(new TrainingSetMaterialized(id, featureSet, version, command.workerId(), command.output()));
    }

    @CommandHandler
    public void handle(FailTrainingSet command) {
        requireNotFinished();
        if (command.workerId() != null && status == TrainingSetStatus.RUNNING
                && !command.workerId().equals(workerId)) {
            throw DomainException.conflict("training set " + id + " is held by " + workerId + ", not "
                    + command.workerId());
        }
        apply(new TrainingSetFailed(id, command.workerId(), command.reason()));
    }

    @CommandHandler
    public void handle(ReleaseExpiredTrainingSetLease command) {
        if (status != TrainingSetStatus.RUNNING) {
            throw DomainException.conflict("training set " + id + " is " + status + ", it holds no lease");
        }
        if (command.now().isBefore(leaseExpiresAt)) {
            throw DomainException.conflict("the lease of training set " + id + " holds until " + leaseExpiresAt);
        }
        if (attempt >= MAX_ATTEMPTS) {
            apply(new TrainingSetFailed(id, workerId, "lease expired on attempt " + attempt + " of "
                    + MAX_ATTEMPTS + " (last worker " + workerId + "); giving up"));
        } else {
            apply(new TrainingSetLeaseExpired(id, workerId, attempt));
        }
    }

    private void requireNotFinished() {
        if (status == TrainingSetStatus.COMPLETED || status == TrainingSetStatus.FAILED) {
            throw DomainException.conflict("training set " + id + " is already " + status.name().toLowerCase());
        }
    }

    private void requireHeldBy(String worker) {
        requireNotFinished();
        if (status != TrainingSetStatus.RUNNING || !Objects.equals(worker, workerId)) {
            throw DomainException.conflict("training set " + id + " is not claimed by " + worker
                    + (workerId == null ? "" : " (held by " + workerId + ")"));
        }
    }

    /** The batch the training set became, with the feature set version it was computed with; empty until then. */
    Optional<TrainingSetCatalog.Completed> completed() {
        return output == null ? Optional.empty() : Optional.of(new TrainingSetCatalog.Completed(
                new TrainingSetRef(id, featureSet, version), output));
    }

    TrainingSetStatus status() {
        return status;
    }

    @EventSourcingHandler
    void on(TrainingSetRequested event) {
        id = event.id();
        streamId = StreamId.of(id).toString();
        featureSet = event.featureSet();
        version = event.version();
        status = TrainingSetStatus.REQUESTED;
    }

    @EventSourcingHandler
    void on(TrainingSetClaimed event) {
        status = TrainingSetStatus.RUNNING;
        workerId = event.workerId();
        attempt = event.attempt();
        leaseExpiresAt = event.leaseExpiresAt();
    }

    @EventSourcingHandler
    void on(TrainingSetProgressed event) {
        leaseExpiresAt = event.leaseExpiresAt();
    }

    @EventSourcingHandler
    void on(TrainingSetLeaseExpired event) {
        status = TrainingSetStatus.REQUESTED;
        workerId = null;
        leaseExpiresAt = null;
    }

    @EventSourcingHandler
    void on(TrainingSetMaterialized event) {
        status = TrainingSetStatus.COMPLETED;
        output = event.output();
    }

    @EventSourcingHandler
    void on(TrainingSetFailed event) {
        status = TrainingSetStatus.FAILED;
    }
}
