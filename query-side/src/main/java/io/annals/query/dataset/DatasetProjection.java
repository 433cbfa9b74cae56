package io.annals.query.dataset;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.dataset.BatchView;
import io.annals.command.api.dataset.DatasetBatchIngested;
import io.annals.command.api.dataset.DatasetPartitionRepointed;
import io.annals.command.api.dataset.DatasetRegistered;
import io.annals.command.api.dataset.DatasetView;
import io.annals.command.api.dataset.PartitionView;
import io.annals.command.api.dataset.RepointView;
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

/** Datasets with their schema and partitions, and one document per batch (what lineage reads). */
@ProcessingGroup(DatasetProjection.PROCESSING_GROUP)
public class DatasetProjection {

    public static final String PROCESSING_GROUP = "dataset-projection";
    public static final ReadModel<DatasetView> DATASETS = new ReadModel<>("annals-datasets-v2", DatasetView.class,
            """
            {"name":{"type":"keyword"},"registeredAt":{"type":"date"},"registeredBy":{"type":"keyword"}}""");
    public static final ReadModel<BatchView> BATCHES = new ReadModel<>("annals-batches-v2", BatchView.class, """
            {"batchId":{"type":"keyword"},"dataset":{"type":"keyword"},"partition":{"type":"keyword"},
             "ingestedAt":{"type":"date"},"ingestedBy":{"type":"keyword"}}""");

    private final ReadModelStore store;

    public DatasetProjection(ReadModelStore store) {
        this.store = store;
        store.readAhead(DATASETS, event -> event instanceof DatasetBatchIngested e ? List.of(e.dataset().value())
                : event instanceof DatasetPartitionRepointed e ? List.of(e.dataset().value()) : List.of());
    }

    @EventHandler
    void on(DatasetRegistered e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        long position = Positions.of(token);
        store.write(DATASETS, e.name().value(), new DatasetView(e.name().value(), e.description(),
                e.schema().columns(), List.of(), 0, at, Actor.of(actor), position));
    }

    @EventHandler
    void on(DatasetBatchIngested e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        long position = Positions.of(token);
        store.write(BATCHES, e.batchId().value(), new BatchView(e.batchId().value(), e.dataset().value(),
                e.partition(), e.location(), e.sha256(), e.rows(), e.sizeBytes(),
                e.statistics(), at, Actor.of(actor), position));
        store.apply(DATASETS, e.dataset().value(), position, null, dataset -> dataset.withBatch(
                new PartitionView(e.partition(), e.batchId().value(), at), position));
    }

    @EventHandler
    void on(DatasetPartitionRepointed e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        long position = Positions.of(token);
        store.apply(DATASETS, e.dataset().value(), position, null, dataset -> dataset.withRepoint(new RepointView(
                e.partition(), e.batchId().value(), e.replaced().value(), e.reason(), at, Actor.of(actor), position)));
    }

    @ResetHandler
    void reset() {
        store.startGeneration(DATASETS);
        store.startGeneration(BATCHES);
    }
}
