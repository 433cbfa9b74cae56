package io.annals.query.featureset;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.featureset.FeatureSetVersionRegistered;
import io.annals.command.api.featureset.FeatureSetVersionView;
import io.annals.command.api.featureset.FeatureSetView;
import io.annals.command.api.trainingset.TrainingSetClaimed;
import io.annals.command.api.trainingset.TrainingSetFailed;
import io.annals.command.api.trainingset.TrainingSetLeaseExpired;
import io.annals.command.api.trainingset.TrainingSetMaterialized;
import io.annals.command.api.trainingset.TrainingSetProgressed;
import io.annals.command.api.trainingset.TrainingSetRequested;
import io.annals.command.api.trainingset.TrainingSetStatus;
import io.annals.command.api.trainingset.TrainingSetView;
import io.annals.query.elastic.Positions;
import io.annals.query.elastic.ReadModel;
import io.annals.query.elastic.ReadModelStore;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.annotation.MetaDataValue;

/** Feature sets with their versions, and training-set jobs with their inputs, progress and output. */
@ProcessingGroup(FeatureSetProjection.PROCESSING_GROUP)
public class FeatureSetProjection {

    public static final String PROCESSING_GROUP = "feature-set-projection";
    public static final ReadModel<FeatureSetView> FEATURE_SETS = new ReadModel<>("annals-feature-sets-v1",
            FeatureSetView.class, """
            {"name":{"type":"keyword"},"versions":{"properties":{"definition":{"properties":{
             "source":{"type":"keyword"},"owner":{"type":"keyword"}}}}}}""");
    public static final ReadModel<TrainingSetView> TRAINING_SETS = new ReadModel<>("annals-training-sets-v1",
            TrainingSetView.class, """
            {"id":{"type":"keyword"},"featureSet":{"type":"keyword"},"version":{"type":"integer"},
             "outputDataset":{"type":"keyword"},"status":{"type":"keyword"},"requestedAt":{"type":"date"},
             "sources":{"properties":{"batch":{"properties":{"batchId":{"type":"keyword"}}}}},
             "labelBatches":{"properties":{"batch":{"properties":{"batchId":{"type":"keyword"}}}}},
             "output":{"properties":{"batchId":{"type":"keyword"}}}}""");

    private final ReadModelStore store;

    public FeatureSetProjection(ReadModelStore store) {
        this.store = store;
        store.readAhead(TRAINING_SETS, event -> event instanceof TrainingSetClaimed e ? List.of(e.id().value())
                : event instanceof TrainingSetProgressed e ? List.of(e.id().value())
                : event instanceof TrainingSetLeaseExpired e ? List.of(e.id().value())
                : event instanceof TrainingSetMaterialized e ? List.of(e.id().value())
                : event instanceof TrainingSetFailed e ? List.of(e.id().value()) : List.of());
    }

    @EventHandler
    void on(FeatureSetVersionRegistered e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        long position = Positions.of(token);
        FeatureSetVersionView version = new FeatureSetVersionView(e.version(), e.definition(), at, Actor.of(actor));
        store.apply(FEATURE_SETS, e.name().value(), position,
                () -> new FeatureSetView(e.name().value(), List.of(), -1),
                featureSet -> featureSet.withVersion(version, position));
    }

    @EventHandler
    void on(TrainingSetRequested e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        store.write(TRAINING_SETS, e.id().value(), new TrainingSetView(e.id().value(), e.featureSet().value(),
                e.version(), e.output().value(), e.outputSchema(), e.sources(), e.labels(), e.labelBatches(),
                TrainingSetStatus.REQUESTED, "requested", 0, 0, 0, null, null, null, at, Actor.of(actor), null,
                Positions.of(token)));
    }

    @EventHandler
    void on(TrainingSetClaimed e, TrackingToken token) {
        long position = Positions.of(token);
        store.apply(TRAINING_SETS, e.id().value(), position, null, set -> set.claimed(e.workerId(), e.attempt(),
                position));
    }

    @EventHandler
    void on(TrainingSetProgressed e, TrackingToken token) {
        long position = Positions.of(token);
        store.apply(TRAINING_SETS, e.id().value(), position, null, set -> set.progressed(e.phase(), e.done(),
                e.total(), position));
    }

    @EventHandler
    void on(TrainingSetLeaseExpired e, TrackingToken token) {
        long position = Positions.of(token);
        store.apply(TRAINING_SETS, e.id().value(), position, null, set -> set.released(position));
    }

    @EventHandler
    void on(TrainingSetMaterialized e, @Timestamp Instant at, TrackingToken token) {
        long position = Positions.of(token);
        store.apply(TRAINING_SETS, e.id().value(), position, null, set -> set.completed(e.output(), at, position));
    }

    @EventHandler
    void on(TrainingSetFailed e, @Timestamp Instant at, TrackingToken token) {
        long position = Positions.of(token);
        store.apply(TRAINING_SETS, e.id().value(), position, null, set -> set.failed(e.reason(), at, position));
    }

    @ResetHandler
    void reset() {
        store.startGeneration(FEATURE_SETS);
        store.startGeneration(TRAINING_SETS);
    }
}
