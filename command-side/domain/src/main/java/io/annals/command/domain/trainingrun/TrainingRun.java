package io.annals.command.domain.trainingrun;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingrun.ClaimTrainingRun;
import io.annals.command.api.trainingrun.CompleteTrainingRun;
import io.annals.command.api.trainingrun.FailTrainingRun;
import io.annals.command.api.trainingrun.RecordTrainingEpoch;
import io.annals.command.api.trainingrun.ModelRegistrationFailed;
import io.annals.command.api.trainingrun.RecordModelRegistrationFailure;
import io.annals.command.api.trainingrun.ReleaseExpiredLease;
import io.annals.command.api.trainingrun.RequestTrainingRun;
import io.annals.command.api.trainingrun.RunStatus;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingEpochCompleted;
import io.annals.command.api.trainingrun.TrainingRunClaimed;
import io.annals.command.api.trainingrun.TrainingRunCompleted;
import io.annals.command.api.trainingrun.TrainingRunFailed;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.api.trainingrun.TrainingRunLeaseExpired;
import io.annals.command.api.trainingrun.TrainingRunRequested;
import io.annals.command.api.trainingset.TrainingSetRef;
import io.annals.command.domain.config.StreamTargetResolver;
import io.annals.command.domain.dataset.DatasetCatalog;
import io.annals.command.domain.model.ModelCatalog;
import io.annals.command.domain.trainingset.TrainingSetCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A training run from request to completion or failure. A worker must claim it under a lease before it reports
 * anything; a second worker is refused while the lease holds, and a run whose lease ran out goes back to the queue
 * until it has used {@link #MAX_ATTEMPTS} attempts.
 */
@Aggregate(commandTargetResolver = StreamTargetResolver.BEAN)
public class TrainingRun {

    static final int MAX_ATTEMPTS = 3;

    /** {@code <kind>:<name>}: each kind of entity has its own identifier space in the event store. */
    @AggregateIdentifier
    private String streamId;
    private TrainingRunId runId;
    private ModelName model;
    private Task task;
    private List<BatchRef> batches;
    private List<String> features;
    private int epochs;
    private RunStatus status;
    private String workerId;
    private Instant leaseExpiresAt;
    private int attempt;
    private int lastEpochOfAttempt;
    private String registrationFailure;

    protected TrainingRun() {
    }

    @CommandHandler
    public TrainingRun(RequestTrainingRun command, DatasetCatalog datasets, ModelCatalog models,
                       TrainingSetCatalog trainingSets) {
        models.latest(command.model()).filter(latest -> latest.task() != command.task()).ifPresent(latest -> {
            throw new IllegalArgumentException("model '" + command.model() + "' holds " + latest.task()
                    + " versions; a run for it must be " + latest.task() + " too, not " + command.task());
        });
        List<BatchRef> batches = command.batches();
        TrainingSetRef trainingSet = null;
        if (command.trainingSet() != null) {
            TrainingSetCatalog.Completed completed = trainingSets.completed(command.trainingSet()).orElseThrow(() ->
                    trainingSets.status(command.trainingSet()).<RuntimeException>map(status -> DomainException.conflict(
                            "training set " + command.trainingSet() + " is " + status + "; a run trains on a "
                                    + "completed one")).orElseGet(() -> DomainException.notFound("training set "
                                    + command.trainingSet() + " does not exist")));
            trainingSet = completed.ref();
            batches = List.of(new BatchRef(completed.output().dataset(), completed.output().batchId()));
        }
        List<BatchInput> inputs = new ArrayList<>();
        List<ColumnSpec> columns = null;
        for (BatchRef ref : batches) {
            DatasetSchema schema = datasets.schema(ref.dataset()).orElseThrow(() ->
                    new IllegalArgumentException("dataset '" + ref.dataset() + "' does not exist"));
            inputs.add(datasets.batch(ref).orElseThrow(() -> new IllegalArgumentException(
                    "batch " + ref.batchId() + " does not exist in dataset '" + ref.dataset() + "'")));
            List<ColumnSpec> these = new ArrayList<>();
            for (String feature : command.features()) {
                these.add(requireFeature(schema, ref, feature));
            }
            these.add(requireLabel(schema, ref, command.label(), command.task()));
            if (columns != null) {
                for (int i = 0; i < these.size(); i++) {
                    if (these.get(i).type() != columns.get(i).type()) {
                        throw new IllegalArgumentException("column '" + these.get(i).name() + "' is "
                                + columns.get(i).type() + " in one input and " + these.get(i).type() + " in dataset '"
                                + ref.dataset() + "'; a run's inputs must agree");
                    }
                    if (these.get(i).nullable()) {
                        columns.set(i, these.get(i));
                    }
                }
            } else {
                columns = these;
            }
        }
        apply(new TrainingRunRequested(command.runId(), command.model(), command.task(), batches,
                command.features(), command.label(), command.hyperparameters(), command.seed(), inputs, trainingSet,
                columns == null ? null : List.copyOf(columns), command.rerunOf()));
    }

    /** A feature is numeric, boolean (as 0 or 1) or a STRING, which is categorical. */
    private static ColumnSpec requireFeature(DatasetSchema schema, BatchRef ref, String column) {
        ColumnSpec spec = column(schema, ref, column, "feature");
        if (!spec.type().isNumeric() && spec.type() != ColumnType.STRING) {
            throw new IllegalArgumentException("feature column '" + column + "' of dataset '" + ref.dataset()
                    + "' is " + spec.type() + "; a feature must be numeric, boolean or STRING (categorical)");
        }
        return spec;
    }

    private static ColumnSpec requireLabel(DatasetSchema schema, BatchRef ref, String column, Task task) {
        ColumnSpec spec = column(schema, ref, column, "label");
        if (!task.takesLabel(spec.type())) {
            throw new IllegalArgumentException("label column '" + column + "' of dataset '" + ref.dataset()
                    + "' is " + spec.type() + "; " + (task == Task.MULTICLASS_CLASSIFICATION
                    ? "a class label must be LONG, STRING or BOOLEAN" : "it must be numeric or boolean"));
        }
        return spec;
    }

    private static ColumnSpec column(DatasetSchema schema, BatchRef ref, String column, String role) {
        return schema.column(column).orElseThrow(() -> new IllegalArgumentException(
                role + " column '" + column + "' is not in dataset '" + ref.dataset() + "'"));
    }

    @CommandHandler
    public void handle(ClaimTrainingRun command) {
        requireNotFinished();
        if (status == RunStatus.RUNNING && !command.workerId().equals(workerId)
                && command.now().isBefore(leaseExpiresAt)) {
            throw DomainException.conflict("run " + runId + " is claimed by " + workerId + " until "
                    + leaseExpiresAt);
        }
        boolean renewal = status == RunStatus.RUNNING && command.workerId().equals(workerId);
        apply(new TrainingRunClaimed(runId, command.workerId(), renewal ? attempt : attempt + 1,
                command.now().plus(command.lease())));
    }

    @CommandHandler
    public void handle(RecordTrainingEpoch command) {
        requireHeldBy(command.workerId());
        if (command.epoch() < 1 || command.epoch() > epochs) {
            throw new IllegalArgumentException("epoch " + command.epoch() + " is outside 1.." + epochs);
        }
        if (command.epoch() == lastEpochOfAttempt) {
            return; // a worker's retry of an epoch that was recorded
        }
        if (command.epoch() < lastEpochOfAttempt) {
            throw DomainException.conflict("epoch " + command.epoch() + " of run " + runId
                    + " is already recorded in attempt " + attempt + " (last: " + lastEpochOfAttempt + ")");
        }
        apply(new TrainingEpochCompleted(runId, command.epoch(), epochs, command.trainLoss(),
                command.validationLoss(), command.validationMetrics(), command.now().plus(command.lease())));
    }

    @CommandHandler
    public void handle(CompleteTrainingRun command) {
        requireHeldBy(command.workerId());
        apply(new TrainingRunCompleted(runId, model, task, batches, features, command.workerId(),
                command.artifact(), command.metrics(), command.baseline(), command.environment(), command.profile()));
    }

    @CommandHandler
    public void handle(FailTrainingRun command) {
        requireNotFinished();
        if (command.workerId() != null && status == RunStatus.RUNNING && !command.workerId().equals(workerId)) {
            throw DomainException.conflict("run " + runId + " is held by " + workerId + ", not "
                    + command.workerId());
        }
        apply(new TrainingRunFailed(runId, command.workerId(), command.reason()));
    }

    /** A no-op when the same failure is already recorded, so a redelivered completion changes nothing. */
    @CommandHandler
    public void handle(RecordModelRegistrationFailure command) {
        if (status != RunStatus.COMPLETED) {
            throw DomainException.conflict("run " + runId + " is " + status + "; only a completed run is registered");
        }
        if (command.reason().equals(registrationFailure)) {
            return;
        }
        apply(new ModelRegistrationFailed(runId, command.model(), command.reason()));
    }

    @CommandHandler
    public void handle(ReleaseExpiredLease command) {
        if (status != RunStatus.RUNNING) {
            throw DomainException.conflict("run " + runId + " is " + status + ", it holds no lease");
        }
        if (command.now().isBefore(leaseExpiresAt)) {
            throw DomainException.conflict("the lease of run " + runId + " holds until " + leaseExpiresAt);
        }
        if (attempt >= MAX_ATTEMPTS) {
            apply(new TrainingRunFailed(runId, workerId, "lease expired on attempt " + attempt + " of "
                    + MAX_ATTEMPTS + " (last worker " + workerId + "); giving up"));
        } else {
            apply(new TrainingRunLeaseExpired(runId, workerId, attempt));
        }
    }

    private void requireNotFinished() {
        if (status == RunStatus.COMPLETED || status == RunStatus.FAILED) {
            throw DomainException.conflict("run " + runId + " is already " + status.name().toLowerCase());
        }
    }

    private void requireHeldBy(String worker) {
        requireNotFinished();
        if (status != RunStatus.RUNNING || !Objects.equals(worker, workerId)) {
            throw DomainException.conflict("run " + runId + " is not claimed by " + worker
                    + (workerId == null ? "" : " (held by " + workerId + ")"));
        }
    }

    @EventSourcingHandler
    void on(TrainingRunRequested event) {
        runId = event.runId();
        streamId = StreamId.of(runId).toString();
        model = event.model();
        task = event.task();
        batches = event.batches();
        features = event.features();
        epochs = event.hyperparameters().epochs();
        status = RunStatus.REQUESTED;
    }

    @EventSourcingHandler
    void on(TrainingRunClaimed event) {
        if (event.attempt() != attempt) {
            lastEpochOfAttempt = 0;
        }
        status = RunStatus.RUNNING;
        workerId = event.workerId();
        attempt = event.attempt();
        leaseExpiresAt = event.leaseExpiresAt();
    }

    @EventSourcingHandler
    void on(TrainingEpochCompleted event) {
        leaseExpiresAt = event.leaseExpiresAt();
        lastEpochOfAttempt = event.epoch();
    }

    @EventSourcingHandler
    void on(TrainingRunLeaseExpired event) {
        status = RunStatus.REQUESTED;
        workerId = null;
        leaseExpiresAt = null;
    }

    @EventSourcingHandler
    void on(TrainingRunCompleted event) {
        status = RunStatus.COMPLETED;
    }

    @EventSourcingHandler
    void on(ModelRegistrationFailed event) {
        registrationFailure = event.reason();
    }

    @EventSourcingHandler
    void on(TrainingRunFailed event) {
        status = RunStatus.FAILED;
    }
}
