package io.annals.query.trainingrun;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.trainingrun.EpochView;
import io.annals.command.api.trainingrun.FindTrainingRun;
import io.annals.command.api.trainingrun.Metric;
import io.annals.command.api.trainingrun.ModelRegistrationFailed;
import io.annals.command.api.trainingrun.TrainingEpochCompleted;
import io.annals.command.api.trainingrun.TrainingRunClaimed;
import io.annals.command.api.trainingrun.TrainingRunCompleted;
import io.annals.command.api.trainingrun.TrainingRunFailed;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.api.trainingrun.TrainingRunLeaseExpired;
import io.annals.command.api.trainingrun.TrainingRunRequested;
import io.annals.command.api.trainingrun.TrainingRunView;
import io.annals.query.elastic.Positions;
import io.annals.query.elastic.ReadModel;
import io.annals.query.elastic.ReadModelStore;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryUpdateEmitter;

/** Training runs with every epoch's metrics; each change is also pushed to subscribers of that run. */
@ProcessingGroup(TrainingRunProjection.PROCESSING_GROUP)
public class TrainingRunProjection {

    public static final String PROCESSING_GROUP = "training-run-projection";
    public static final ReadModel<TrainingRunView> RUNS = new ReadModel<>("annals-runs-v2", TrainingRunView.class,
            """
            {"runId":{"type":"keyword"},"model":{"type":"keyword"},"task":{"type":"keyword"},
             "status":{"type":"keyword"},"batches":{"properties":{"batchId":{"type":"keyword"}}},
             "modelVersion":{"type":"integer"},"workerId":{"type":"keyword"},"requestedAt":{"type":"date"},
             "requestedBy":{"type":"keyword"},"finishedAt":{"type":"date"},"updatedAt":{"type":"date"}}""");

    /**
     * Which segment of this projection takes an event: the run it changes. A run's document takes the events of its
     * own stream and its model's registration of it (from the model's stream), so Axon's default, one sequence per
     * stream, could hand a run's registration to one segment and its completion to another, and a document would be
     * written out of log order; by run, every event of a run goes to one segment, in log order, and the projection
     * can be split into as many segments as it is given (an event that changes no run: by its stream).
     */
    public static final SequencingPolicy<EventMessage<?>> BY_RUN = event -> {
        Object payload = event.getPayload();
        if (payload instanceof TrainingRunRequested requested) {
            return requested.runId().value();
        }
        List<String> runs = runOf(payload);
        return runs.isEmpty() ? SequentialPerAggregatePolicy.instance().getSequenceIdentifierFor(event)
                : runs.get(0);
    };

    private final ReadModelStore store;
    private final QueryUpdateEmitter updates;

    public TrainingRunProjection(ReadModelStore store, QueryUpdateEmitter updates) {
        this.store = store;
        this.updates = updates;
        store.readAhead(RUNS, TrainingRunProjection::runOf);
    }

    /** The run an event changes, if any. */
    private static List<String> runOf(Object event) {
        TrainingRunId run = null;
        if (event instanceof TrainingRunClaimed e) {
            run = e.runId();
        } else if (event instanceof TrainingEpochCompleted e) {
            run = e.runId();
        } else if (event instanceof TrainingRunLeaseExpired e) {
            run = e.runId();
        } else if (event instanceof TrainingRunCompleted e) {
            run = e.runId();
        } else if (event instanceof TrainingRunFailed e) {
            run = e.runId();
        } else if (event instanceof ModelVersionRegistered e) {
            run = e.runId();
        } else if (event instanceof ModelRegistrationFailed e) {
            run = e.runId();
        }
        return run == null ? List.of() : List.of(run.value());
    }

    @EventHandler
    void on(TrainingRunRequested e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            @MetaDataValue(MetadataKeys.CORRELATION_ID) String correlationId, TrackingToken token) {
        store.write(RUNS, e.runId().value(), TrainingRunView.requested(e, at, Actor.of(actor), correlationId,
                Positions.of(token))).ifPresent(this::emit);
    }

    @EventHandler
    void on(TrainingRunClaimed e, @Timestamp Instant at, TrackingToken token) {
        update(e.runId(), token, (run, position) -> run.claimed(e.workerId(), e.attempt(), e.leaseExpiresAt(), at,
                position));
    }

    @EventHandler
    void on(TrainingEpochCompleted e, @Timestamp Instant at, TrackingToken token) {
        EpochView epoch = new EpochView(e.epoch(), e.epochs(), e.trainLoss(), e.validationLoss(),
                Metric.list(e.validationMetrics()), at);
        update(e.runId(), token, (run, position) -> run.withEpoch(epoch, e.leaseExpiresAt(), at, position));
    }

    @EventHandler
    void on(TrainingRunLeaseExpired e, @Timestamp Instant at, TrackingToken token) {
        update(e.runId(), token, (run, position) -> run.leaseExpired(at, position));
    }

    @EventHandler
    void on(TrainingRunCompleted e, @Timestamp Instant at, TrackingToken token) {
        update(e.runId(), token, (run, position) -> run.completed(Metric.list(e.metrics()), e.artifact(),
                e.baseline(), e.environment(), at, position));
    }

    @EventHandler
    void on(TrainingRunFailed e, @Timestamp Instant at, TrackingToken token) {
        update(e.runId(), token, (run, position) -> run.failed(e.reason(), at, position));
    }

    @EventHandler
    void on(ModelVersionRegistered e, @Timestamp Instant at, TrackingToken token) {
        if (e.runId() != null) {
            update(e.runId(), token, (run, position) -> run.registration(e.version(), null, at, position));
        }
    }

    @EventHandler
    void on(ModelRegistrationFailed e, @Timestamp Instant at, TrackingToken token) {
        update(e.runId(), token, (run, position) -> run.registration(null, e.reason(), at, position));
    }

    /**
     * Applies a change unless the run already reflects this event (its log position is at or past it), so an event
     * delivered twice, or re-applied when a failed batch is retried, changes nothing and is not pushed again.
     */
    private void update(TrainingRunId id, TrackingToken token,
                        BiFunction<TrainingRunView, Long, TrainingRunView> change) {
        long position = Positions.of(token);
        store.apply(RUNS, id.value(), position, null, run -> change.apply(run, position)).ifPresent(this::emit);
    }

    private void emit(TrainingRunView run) {
        updates.emit(FindTrainingRun.class, q -> q.runId().value().equals(run.runId()), run);
    }

    @ResetHandler
    void reset() {
        store.startGeneration(RUNS);
    }
}
