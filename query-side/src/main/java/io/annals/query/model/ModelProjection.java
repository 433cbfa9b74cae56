package io.annals.query.model;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.model.EvaluationView;
import io.annals.command.api.model.ModelAliasAssigned;
import io.annals.command.api.model.ModelEvaluationFailed;
import io.annals.command.api.model.ModelEvaluationRequested;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionEvaluated;
import io.annals.command.api.model.ModelVersionRef;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.model.ModelVersionView;
import io.annals.command.api.model.ModelView;
import io.annals.command.api.trainingrun.Metric;
import io.annals.query.elastic.Positions;
import io.annals.query.elastic.ReadModel;
import io.annals.query.elastic.ReadModelStore;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.annotation.MetaDataValue;

/** The registry: one document per model (aliases) and one per model version, keyed {@code model#version}. */
@ProcessingGroup(ModelProjection.PROCESSING_GROUP)
public class ModelProjection {

    public static final String PROCESSING_GROUP = "model-projection";
    public static final ReadModel<ModelView> MODELS = new ReadModel<>("annals-models-v2", ModelView.class, """
            {"name":{"type":"keyword"},"createdAt":{"type":"date"},"updatedAt":{"type":"date"}}""");
    public static final ReadModel<ModelVersionView> VERSIONS = new ReadModel<>("annals-model-versions-v2",
            ModelVersionView.class, """
            {"model":{"type":"keyword"},"version":{"type":"integer"},"runId":{"type":"keyword"},
             "task":{"type":"keyword"},"registeredAt":{"type":"date"},"registeredBy":{"type":"keyword"}}""");

    private final ReadModelStore store;

    public ModelProjection(ReadModelStore store) {
        this.store = store;
        store.readAhead(MODELS, event -> event instanceof ModelVersionRegistered e ? List.of(e.model().value())
                : event instanceof ModelAliasAssigned e ? List.of(e.model().value()) : List.of());
        store.readAhead(VERSIONS, event -> {
            if (!(event instanceof ModelAliasAssigned e)) {
                return List.of();
            }
            String version = new ModelVersionRef(e.model(), e.version()).toString();
            return e.previousVersion() == null ? List.of(version)
                    : List.of(version, new ModelVersionRef(e.model(), e.previousVersion()).toString());
        });
    }

    @EventHandler
    void on(ModelVersionRegistered e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        long position = Positions.of(token);
        String model = e.model().value();
        store.write(VERSIONS, new ModelVersionRef(e.model(), e.version()).toString(), new ModelVersionView(model,
                e.version(), e.runId() == null ? null : e.runId().value(), e.task(), e.features(), e.artifact(),
                Metric.list(e.metrics()), e.baseline(), List.of(), at, Actor.of(actor), position, List.of(),
                e.imported()));
        store.apply(MODELS, model, position, () -> new ModelView(model, 0, List.of(), at, at, -1),
                m -> m.withVersion(e.version(), at, position));
    }

    @EventHandler
    void on(ModelAliasAssigned e, @Timestamp Instant at, TrackingToken token) {
        long position = Positions.of(token);
        store.apply(MODELS, e.model().value(), position, null, m -> m.withAlias(e.alias(), e.version(), at,
                position));
        if (e.previousVersion() != null) {
            store.apply(VERSIONS, new ModelVersionRef(e.model(), e.previousVersion()).toString(), position, null,
                    v -> v.withAlias(e.alias(), false, position));
        }
        store.apply(VERSIONS, new ModelVersionRef(e.model(), e.version()).toString(), position, null,
                v -> v.withAlias(e.alias(), true, position));
    }

    @EventHandler
    void on(ModelEvaluationRequested e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        EvaluationView requested = new EvaluationView(e.evaluationId().value(), e.batch().batch().dataset().value(),
                e.batch().batch().batchId().value(), "REQUESTED", null, null, null, at, Actor.of(actor), null);
        evaluation(e.model(), e.version(), token, requested.evaluationId(), old -> requested);
    }

    @EventHandler
    void on(ModelVersionEvaluated e, @Timestamp Instant at, TrackingToken token) {
        evaluation(e.model(), e.version(), token, e.evaluationId().value(), old -> new EvaluationView(
                e.evaluationId().value(), e.batch().dataset().value(), e.batch().batchId().value(), "COMPLETED",
                e.rows(), Metric.list(e.metrics()), null, old == null ? null : old.requestedAt(),
                old == null ? null : old.requestedBy(), at));
    }

    @EventHandler
    void on(ModelEvaluationFailed e, @Timestamp Instant at, TrackingToken token) {
        evaluation(e.model(), e.version(), token, e.evaluationId().value(), old -> new EvaluationView(
                e.evaluationId().value(), old == null ? null : old.dataset(), old == null ? null : old.batchId(),
                "FAILED", null, null, e.reason(), old == null ? null : old.requestedAt(),
                old == null ? null : old.requestedBy(), at));
    }

    private void evaluation(ModelName model, int version, TrackingToken token, String evaluationId,
                            UnaryOperator<EvaluationView> change) {
        long position = Positions.of(token);
        store.apply(VERSIONS, new ModelVersionRef(model, version).toString(), position, null, v -> {
            EvaluationView old = v.evaluations() == null ? null : v.evaluations().stream()
                    .filter(x -> x.evaluationId().equals(evaluationId)).findFirst().orElse(null);
            return v.withEvaluation(change.apply(old), position);
        });
    }

    @ResetHandler
    void reset() {
        store.startGeneration(MODELS);
        store.startGeneration(VERSIONS);
    }
}
