package io.annals.query.lineage;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.annals.command.api.dataset.FindBatchImpact;
import io.annals.query.dataset.DatasetProjection;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.View;
import io.annals.query.elastic.Views;
import io.annals.query.endpoint.EndpointProjection;
import io.annals.query.model.ModelProjection;
import io.annals.query.trainingrun.TrainingRunProjection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.axonframework.queryhandling.QueryHandler;

/**
 * "What did this bad batch touch?": follows a batch forward through the runs that read it and the model versions
 * they produced to every endpoint that served one of them, and says whether it still does.
 */
public class BatchImpactQueries {

    private static final int LIMIT = 500;

    private final Documents documents;
    private final DatasetProjection datasets;

    public BatchImpactQueries(Documents documents, DatasetProjection datasets) {
        this.documents = documents;
        this.datasets = datasets;
    }

    @QueryHandler
    @SuppressWarnings("unchecked")
    Optional<View> find(FindBatchImpact query) {
        return datasets.batch(query.batchId().value()).map(batch -> {
            List<Map<String, Object>> runs = Views.newestFirst(documents, TrainingRunProjection.INDEX, "requestedAt",
                    Views.term("batches.batchId", query.batchId().value()), LIMIT);
            List<FieldValue> runIds = runs.stream().map(r -> FieldValue.of((String) r.get("runId"))).toList();
            List<Map<String, Object>> versions = runIds.isEmpty() ? List.of()
                    : Views.newestFirst(documents, ModelProjection.VERSIONS, "registeredAt",
                    Query.of(q -> q.terms(t -> t.field("runId").terms(v -> v.value(runIds)))), LIMIT);
            Set<String> touched = versions.stream().map(v -> v.get("model") + "#" + v.get("version"))
                    .collect(Collectors.toSet());
            List<Map<String, Object>> endpoints = new ArrayList<>();
            for (Map<String, Object> endpoint : Views.newestFirst(documents, EndpointProjection.INDEX, "updatedAt",
                    null, LIMIT)) {
                List<Integer> revisions = new ArrayList<>();
                for (Map<String, Object> revision : (List<Map<String, Object>>) endpoint.get("revisions")) {
                    if (servesAny((List<Map<String, Object>>) revision.get("targets"), touched)) {
                        revisions.add(((Number) revision.get("revision")).intValue());
                    }
                }
                if (!revisions.isEmpty()) {
                    Map<String, Object> impact = new LinkedHashMap<>();
                    impact.put("endpoint", endpoint.get("name"));
                    impact.put("servingNow", servesAny((List<Map<String, Object>>) endpoint.get("targets"), touched));
                    impact.put("revisions", revisions);
                    endpoints.add(impact);
                }
            }
            View impact = new View();
            impact.put("batch", batch);
            impact.put("runs", runs);
            impact.put("modelVersions", versions);
            impact.put("endpoints", endpoints);
            return impact;
        });
    }

    private static boolean servesAny(List<Map<String, Object>> targets, Set<String> versions) {
        return targets != null && targets.stream().anyMatch(t -> versions.contains(t.get("model") + "#"
                + ((Number) t.get("version")).intValue()));
    }
}
