package io.annals.query.pipeline;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.pipeline.FindPipelineRuns;
import io.annals.command.api.pipeline.PipelineCandidateTrained;
import io.annals.command.api.pipeline.PipelineGateDecided;
import io.annals.command.api.pipeline.PipelineRunEvent;
import io.annals.command.api.pipeline.PipelineRunFinished;
import io.annals.command.api.pipeline.PipelineRunStarted;
import io.annals.command.api.pipeline.PipelineRunView;
import io.annals.command.api.pipeline.PipelinePaused;
import io.annals.command.api.pipeline.PipelineResumed;
import io.annals.command.api.pipeline.PipelineVersionRegistered;
import io.annals.command.api.pipeline.PipelineView;
import io.annals.query.elastic.Positions;
import io.annals.query.elastic.ReadModel;
import io.annals.query.elastic.ReadModelStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryUpdateEmitter;

/**
 * Pipeline runs, one document each, for lists, a batch's impact and subscribers (every change is pushed to them); and
 * pipelines, one document each, with their latest run, for the list of pipelines.
 */
@ProcessingGroup(PipelineRunProjection.PROCESSING_GROUP)
public class PipelineRunProjection {

    public static final String PROCESSING_GROUP = "pipeline-run-projection";
    public static final ReadModel<PipelineRunView> RUNS = new ReadModel<>("annals-pipeline-runs-v1",
            PipelineRunView.class, """
            {"id":{"type":"keyword"},"pipeline":{"type":"keyword"},"number":{"type":"integer"},
             "status":{"type":"keyword"},"batchIds":{"type":"keyword"},"startedAt":{"type":"date"},
             "causes":{"type":"object","enabled":false}}""");
    public static final ReadModel<PipelineView> PIPELINES = new ReadModel<>("annals-pipelines-v1", PipelineView.class,
            """
            {"name":{"type":"keyword"},"model":{"type":"keyword"},"endpoint":{"type":"keyword"},
             "paused":{"type":"boolean"},"lastStatus":{"type":"keyword"},"updatedAt":{"type":"date"}}""");

    private final ReadModelStore store;
    private final QueryUpdateEmitter updates;

    public PipelineRunProjection(ReadModelStore store, QueryUpdateEmitter updates) {
        this.store = store;
        this.updates = updates;
        // every event of a run but its start changes the run's document: read them ahead in one request
        store.readAhead(RUNS, event -> event instanceof PipelineRunEvent e
                ? List.of(PipelineRunView.id(e.name(), e.run())) : List.of());
        store.readAhead(PIPELINES, event -> event instanceof PipelineRunFinished e ? List.of(e.name().value())
                : event instanceof PipelineRunStarted e ? List.of(e.name().value())
                : event instanceof PipelineVersionRegistered e ? List.of(e.name().value())
                : event instanceof PipelinePaused e ? List.of(e.name().value())
                : event instanceof PipelineResumed e ? List.of(e.name().value()) : List.of());
    }

    @EventHandler
    void on(PipelineVersionRegistered e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        long position = Positions.of(token);
        Actor by = actor == null ? null : Actor.of(actor);
        store.apply(PIPELINES, e.name().value(), position, () -> PipelineView.registered(e, at, by, position),
                pipeline -> pipeline.position() == position ? pipeline : pipeline.changed(e, at, by, position));
    }

    @EventHandler
    void on(PipelinePaused e, @Timestamp Instant at, TrackingToken token) {
        long position = Positions.of(token);
        store.apply(PIPELINES, e.name().value(), position, null, p -> p.paused(e.reason(), at, position));
    }

    @EventHandler
    void on(PipelineResumed e, @Timestamp Instant at, TrackingToken token) {
        long position = Positions.of(token);
        store.apply(PIPELINES, e.name().value(), position, null, p -> p.resumed(at, position));
    }

    @EventHandler
    void on(PipelineRunStarted e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        PipelineRunView run = PipelineRunView.started(e, at, Actor.of(actor), Positions.of(token));
        emit(store.write(RUNS, run.id(), run));
        store.apply(PIPELINES, e.name().value(), run.position(), null,
                p -> p.run(e.run(), PipelineRunView.Status.RUNNING, at, run.position()));
    }

    @EventHandler
    void on(io.annals.command.api.pipeline.PipelineTrainingSetReady e, TrackingToken token) {
        long position = Positions.of(token);
        emit(store.apply(RUNS, PipelineRunView.id(e.name(), e.run()), position, null,
                run -> run.materialized(e, position)));
    }

    @EventHandler
    void on(PipelineCandidateTrained e, TrackingToken token) {
        long position = Positions.of(token);
        emit(store.apply(RUNS, PipelineRunView.id(e.name(), e.run()), position, null,
                run -> run.trained(e, position)));
    }

    @EventHandler
    void on(PipelineGateDecided e, TrackingToken token) {
        long position = Positions.of(token);
        emit(store.apply(RUNS, PipelineRunView.id(e.name(), e.run()), position, null,
                run -> run.decided(e, position)));
    }

    @EventHandler
    void on(PipelineRunFinished e, @Timestamp Instant at, TrackingToken token) {
        long position = Positions.of(token);
        emit(store.apply(RUNS, PipelineRunView.id(e.name(), e.run()), position, null,
                run -> run.finished(e, at, position)));
        store.apply(PIPELINES, e.name().value(), position, null,
                p -> p.run(e.run(), PipelineRunView.Status.valueOf(e.outcome().name()), at, position));
    }

    @EventHandler
    void on(io.annals.command.api.pipeline.PipelineCanaryDeployed e, TrackingToken token) {
        long position = Positions.of(token);
        emit(store.apply(RUNS, PipelineRunView.id(e.name(), e.run()), position, null,
                run -> run.observing(e, position)));
    }

    @EventHandler
    void on(io.annals.command.api.pipeline.PipelineRunRetried e, TrackingToken token) {
        long position = Positions.of(token);
        emit(store.apply(RUNS, PipelineRunView.id(e.name(), e.run()), position, null,
                run -> run.retried(e, position)));
    }

    /** Pushes a written change to the subscribers whose filter it matches; an event already applied pushes nothing. */
    private void emit(Optional<PipelineRunView> written) {
        written.ifPresent(run -> updates.emit(FindPipelineRuns.class,
                q -> (q.pipeline() == null || q.pipeline().equals(run.pipeline()))
                        && (q.batchId() == null || run.batchIds().contains(q.batchId()))
                        && (q.status() == null || q.status() == run.status()), run));
    }

    @ResetHandler
    void reset() {
        store.startGeneration(RUNS);
        store.startGeneration(PIPELINES);
    }
}
