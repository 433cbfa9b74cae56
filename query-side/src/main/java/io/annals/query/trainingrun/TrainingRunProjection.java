package io.annals.query.trainingrun;

import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.trainingrun.FindTrainingRun;
import io.annals.command.api.trainingrun.FindTrainingRuns;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.trainingrun.ModelRegistrationFailed;
import io.annals.command.api.trainingrun.TrainingEpochCompleted;
import io.annals.command.api.trainingrun.TrainingRunClaimed;
import io.annals.command.api.trainingrun.TrainingRunCompleted;
import io.annals.command.api.trainingrun.TrainingRunFailed;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.api.trainingrun.TrainingRunLeaseExpired;
import io.annals.command.api.trainingrun.TrainingRunRequested;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Positions;
import io.annals.query.elastic.View;
import io.annals.query.elastic.Views;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;

/** Training runs with every epoch's metrics; each change is also pushed to subscribers of that run. */
@ProcessingGroup(TrainingRunProjection.PROCESSING_GROUP)
public class TrainingRunProjection {

    public static final String PROCESSING_GROUP = "training-run-projection";
    public static final String INDEX = "annals-runs-v1";
    private static final String MAPPING = """
            {"runId":{"type":"keyword"},"model":{"type":"keyword"},"status":{"type":"keyword"},
             "batches":{"properties":{"batchId":{"type":"keyword"}}},
             "requestedAt":{"type":"date"},"requestedBy":{"type":"keyword"}}""";

    private final Documents documents;
    private final QueryUpdateEmitter updates;

    public TrainingRunProjection(Documents documents, QueryUpdateEmitter updates) {
        this.documents = documents;
        documents.declare(INDEX, MAPPING);
        this.updates = updates;
    }

    @EventHandler
    void on(TrainingRunRequested e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            @MetaDataValue(MetadataKeys.CORRELATION_ID) String correlationId, TrackingToken token) {
        documents.ensureIndex(INDEX);
        documents.apply(INDEX, e.runId().value(), Positions.of(token), LinkedHashMap::new, doc -> {
            doc.put("runId", e.runId().value());
            doc.put("model", e.model().value());
            doc.put("task", e.task().name());
            doc.put("status", "REQUESTED");
            doc.put("batches", e.inputs().stream().map(i -> Map.of("dataset", i.batch().dataset().value(),
                    "batchId", i.batch().batchId().value(), "location", i.location(), "sha256", i.sha256(),
                    "rows", i.rows())).toList());
            doc.put("features", e.features());
            doc.put("label", e.label());
            doc.put("hyperparameters", e.hyperparameters());
            doc.put("seed", e.seed());
            doc.put("epochs", List.of());
            doc.put("requestedAt", at.toString());
            doc.put("requestedBy", actor);
            doc.put("correlationId", correlationId);
            doc.put("updatedAt", at.toString());
        }).ifPresent(doc -> emit(e.runId(), doc));
    }

    @EventHandler
    void on(TrainingRunClaimed e, @Timestamp Instant at, TrackingToken token) {
        update(e.runId(), at, token, doc -> {
            doc.put("status", "RUNNING");
            doc.put("workerId", e.workerId());
            doc.put("attempt", e.attempt());
            doc.put("leaseExpiresAt", e.leaseExpiresAt().toString());
        });
    }

    @EventHandler
    void on(TrainingEpochCompleted e, @Timestamp Instant at, TrackingToken token) {
        update(e.runId(), at, token, doc -> {
            Map<String, Object> epoch = new LinkedHashMap<>();
            epoch.put("epoch", e.epoch());
            epoch.put("of", e.epochs());
            epoch.put("trainLoss", e.trainLoss());
            epoch.put("validationLoss", e.validationLoss());
            epoch.put("metrics", Views.metricList(e.validationMetrics()));
            epoch.put("at", at.toString());
            Views.upsertInList(doc, "epochs", "epoch", epoch);
            doc.put("leaseExpiresAt", e.leaseExpiresAt().toString());
        });
    }

    @EventHandler
    void on(TrainingRunLeaseExpired e, @Timestamp Instant at, TrackingToken token) {
        update(e.runId(), at, token, doc -> {
            doc.put("status", "REQUESTED");
            doc.put("workerId", null);
            doc.put("leaseExpiresAt", null);
        });
    }

    @EventHandler
    void on(TrainingRunCompleted e, @Timestamp Instant at, TrackingToken token) {
        update(e.runId(), at, token, doc -> {
            doc.put("status", "COMPLETED");
            doc.put("metrics", Views.metricList(e.metrics()));
            doc.put("artifact", e.artifact());
            doc.put("baseline", e.baseline());
            doc.put("finishedAt", at.toString());
        });
    }

    @EventHandler
    void on(TrainingRunFailed e, @Timestamp Instant at, TrackingToken token) {
        update(e.runId(), at, token, doc -> {
            doc.put("status", "FAILED");
            doc.put("failureReason", e.reason());
            doc.put("finishedAt", at.toString());
        });
    }

    @EventHandler
    void on(ModelVersionRegistered e, @Timestamp Instant at, TrackingToken token) {
        update(e.runId(), at, token, doc -> {
            doc.put("modelVersion", e.version());
            doc.put("registrationFailure", null);
        });
    }

    @EventHandler
    void on(ModelRegistrationFailed e, @Timestamp Instant at, TrackingToken token) {
        update(e.runId(), at, token, doc -> doc.put("registrationFailure", e.reason()));
    }

    /**
     * Applies a change unless the document already reflects this event (its log position is at or past it), so
     * an event delivered twice, or re-applied when a failed batch is retried, changes nothing and is not pushed to
     * subscribers again.
     */
    private void update(TrainingRunId id, Instant at, TrackingToken token, Consumer<Map<String, Object>> change) {
        documents.apply(INDEX, id.value(), Positions.of(token), null, doc -> {
            change.accept(doc);
            doc.put("updatedAt", at.toString());
        }).ifPresent(doc -> emit(id, doc));
    }

    private void emit(TrainingRunId id, Map<String, Object> doc) {
        updates.emit(FindTrainingRun.class, q -> q.runId().equals(id), new View(doc));
    }

    @QueryHandler
    Optional<View> find(FindTrainingRun query) {
        return documents.get(INDEX, query.runId().value()).map(View::new);
    }

    @QueryHandler
    List<View> find(FindTrainingRuns query) {
        return Views.newestFirst(documents, INDEX, "requestedAt",
                query.model() == null ? null : Views.term("model", query.model().value()),
                Math.max(1, Math.min(500, query.limit()))).stream().map(View::new).toList();
    }

    @ResetHandler
    void reset() {
        documents.startGeneration(INDEX);
    }
}
