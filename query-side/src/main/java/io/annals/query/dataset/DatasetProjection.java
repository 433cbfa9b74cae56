package io.annals.query.dataset;

import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.dataset.DatasetBatchIngested;
import io.annals.command.api.dataset.DatasetRegistered;
import io.annals.command.api.dataset.FindDataset;
import io.annals.command.api.dataset.FindDatasets;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Positions;
import io.annals.query.elastic.View;
import io.annals.query.elastic.Views;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;

/** Datasets with their schema and partitions, and one document per batch (what lineage reads). */
@ProcessingGroup(DatasetProjection.PROCESSING_GROUP)
public class DatasetProjection {

    public static final String PROCESSING_GROUP = "dataset-projection";
    public static final String DATASETS = "annals-datasets-v1";
    public static final String BATCHES = "annals-batches-v1";
    private static final String DATASET_MAPPING = """
            {"name":{"type":"keyword"},"registeredAt":{"type":"date"},"registeredBy":{"type":"keyword"}}""";
    private static final String BATCH_MAPPING = """
            {"batchId":{"type":"keyword"},"dataset":{"type":"keyword"},"partition":{"type":"keyword"},
             "ingestedAt":{"type":"date"},"ingestedBy":{"type":"keyword"}}""";

    private final Documents documents;

    public DatasetProjection(Documents documents) {
        this.documents = documents;
        documents.declare(DATASETS, DATASET_MAPPING);
        documents.declare(BATCHES, BATCH_MAPPING);
    }

    @EventHandler
    void on(DatasetRegistered e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        documents.ensureIndex(DATASETS);
        documents.apply(DATASETS, e.name().value(), Positions.of(token), LinkedHashMap::new, doc -> {
            doc.put("name", e.name().value());
            doc.put("description", e.description());
            doc.put("schema", e.schema().columns().stream().map(c -> Map.of("name", c.name(),
                    "type", c.type().name(), "nullable", c.nullable())).toList());
            doc.put("registeredAt", at.toString());
            doc.put("registeredBy", actor);
            doc.put("partitions", List.of());
            doc.put("batchCount", 0);
        });
    }

    @EventHandler
    void on(DatasetBatchIngested e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        documents.ensureIndex(BATCHES);
        long position = Positions.of(token);
        documents.apply(BATCHES, e.batchId().value(), position, LinkedHashMap::new, batch -> {
            batch.put("batchId", e.batchId().value());
            batch.put("dataset", e.dataset().value());
            batch.put("partition", e.partition());
            batch.put("location", e.location());
            batch.put("sha256", e.sha256());
            batch.put("rows", e.rows());
            batch.put("sizeBytes", e.sizeBytes());
            batch.put("statistics", e.statistics());
            batch.put("ingestedAt", at.toString());
            batch.put("ingestedBy", actor);
        });
        documents.apply(DATASETS, e.dataset().value(), position, null, doc -> {
            Views.upsertInList(doc, "partitions", "partition",
                    Map.of("partition", e.partition(), "batchId", e.batchId().value(), "since", at.toString()));
            doc.put("batchCount", ((Number) doc.getOrDefault("batchCount", 0)).intValue() + 1);
        });
    }

    @QueryHandler
    List<View> find(FindDatasets query) {
        return Views.newestFirst(documents, DATASETS, "registeredAt", null, 200).stream().map(View::new).toList();
    }

    @QueryHandler
    Optional<View> find(FindDataset query) {
        return documents.get(DATASETS, query.name().value()).map(doc -> {
            doc.put("batches", Views.newestFirst(documents, BATCHES, "ingestedAt",
                    Views.term("dataset", query.name().value()), 500));
            return new View(doc);
        });
    }

    public Optional<Map<String, Object>> batch(String batchId) {
        return documents.get(BATCHES, batchId);
    }

    @ResetHandler
    void reset() {
        documents.startGeneration(DATASETS);
        documents.startGeneration(BATCHES);
    }
}
