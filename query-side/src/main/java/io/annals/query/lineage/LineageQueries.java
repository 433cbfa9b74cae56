package io.annals.query.lineage;

import io.annals.command.api.model.FindModelLineage;
import io.annals.query.dataset.DatasetProjection;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.View;
import io.annals.query.model.ModelProjection;
import io.annals.query.trainingrun.TrainingRunProjection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;

/**
 * "What data trained this model?": a model version, the run that produced it, each batch the run read (with the
 * digest it was verified against), and each batch's dataset.
 */
public class LineageQueries {

    private final Documents documents;
    private final ModelProjection models;
    private final DatasetProjection datasets;

    public LineageQueries(Documents documents, ModelProjection models, DatasetProjection datasets) {
        this.documents = documents;
        this.models = models;
        this.datasets = datasets;
    }

    @QueryHandler
    @SuppressWarnings("unchecked")
    Optional<View> find(FindModelLineage query) {
        return models.version(query.model().value(), query.version()).map(version -> {
            View lineage = new View();
            lineage.put("modelVersion", version);
            Map<String, Object> run = documents.get(TrainingRunProjection.INDEX, (String) version.get("runId"))
                    .orElse(null);
            lineage.put("run", run);
            List<Map<String, Object>> batches = new ArrayList<>();
            Map<String, Map<String, Object>> byDataset = new LinkedHashMap<>();
            if (run != null) {
                for (Map<String, Object> input : (List<Map<String, Object>>) run.get("batches")) {
                    String batchId = (String) input.get("batchId");
                    batches.add(datasets.batch(batchId).orElse(input));
                    String dataset = (String) input.get("dataset");
                    byDataset.computeIfAbsent(dataset, d -> documents.get(DatasetProjection.DATASETS, d)
                            .orElse(Map.of("name", d)));
                }
            }
            lineage.put("batches", batches);
            lineage.put("datasets", new ArrayList<>(byDataset.values()));
            return lineage;
        });
    }
}
