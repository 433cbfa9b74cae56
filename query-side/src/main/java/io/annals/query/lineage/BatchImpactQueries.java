package io.annals.query.lineage;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.annals.command.api.dataset.BatchImpact;
import io.annals.command.api.dataset.BatchImpact.EndpointImpact;
import io.annals.command.api.dataset.FindBatchImpact;
import io.annals.command.api.endpoint.EndpointView;
import io.annals.command.api.endpoint.RevisionView;
import io.annals.command.api.endpoint.TargetView;
import io.annals.command.api.model.ModelVersionRef;
import io.annals.command.api.model.ModelVersionView;
import io.annals.command.api.trainingrun.TrainingRunView;
import io.annals.query.dataset.DatasetProjection;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Documents.Sort;
import io.annals.query.endpoint.EndpointProjection;
import io.annals.query.model.ModelProjection;
import io.annals.query.trainingrun.TrainingRunProjection;
import io.annals.query.trainingrun.TrainingRunQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.axonframework.queryhandling.QueryHandler;

/**
 * "What did this bad batch touch?": follows a batch forward through the runs that read it (without their epochs) and
 * the model versions they became (each run records its version) to every endpoint whose revisions served one of
 * them, and says whether it still does. Four reads whatever the number of runs: the batch, the runs, the versions
 * by id, and the endpoints by the versions they served.
 */
public class BatchImpactQueries {

    private final Documents documents;

    public BatchImpactQueries(Documents documents) {
        this.documents = documents;
    }

    @QueryHandler
    Optional<BatchImpact> find(FindBatchImpact query) {
        return documents.get(DatasetProjection.BATCHES, query.batchId().value()).map(batch -> {
            List<TrainingRunView> runs = documents.all(TrainingRunProjection.RUNS,
                    Query.of(q -> q.term(t -> t.field("batches.batchId").value(batch.batchId()))),
                    List.of(Sort.desc("requestedAt"), Sort.asc("runId")), TrainingRunQueries.WITHOUT_EPOCHS);
            List<String> versionIds = runs.stream().filter(r -> r.modelVersion() != null)
                    .map(r -> ModelVersionRef.of(r.model(), r.modelVersion()).toString()).toList();
            List<ModelVersionView> versions = documents.getAll(ModelProjection.VERSIONS, versionIds, List.of());
            Set<String> touched = versions.stream().map(v -> v.ref().toString()).collect(Collectors.toSet());
            List<EndpointView> endpoints = touched.isEmpty() ? List.of() : documents.all(EndpointProjection.ENDPOINTS,
                    Query.of(q -> q.terms(t -> t.field("servedVersions").terms(v -> v.value(
                            touched.stream().map(FieldValue::of).toList())))),
                    List.of(Sort.asc("name")), List.of());
            List<EndpointImpact> impacts = new ArrayList<>();
            for (EndpointView endpoint : endpoints) {
                List<Integer> revisions = endpoint.revisions().stream()
                        .filter(r -> servesAny(r.targets(), touched)).map(RevisionView::revision).toList();
                if (!revisions.isEmpty()) {
                    impacts.add(new EndpointImpact(endpoint.name(), servesAny(endpoint.targets(), touched),
                            revisions));
                }
            }
            return new BatchImpact(batch, runs, versions, impacts);
        });
    }

    private static boolean servesAny(List<TargetView> targets, Set<String> versions) {
        return targets.stream().anyMatch(t -> versions.contains(t.ref().toString()));
    }
}
