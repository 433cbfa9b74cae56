package io.annals.query.lineage;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.annals.command.api.dataset.BatchImpact;
import io.annals.command.api.dataset.BatchImpact.EndpointImpact;
import io.annals.command.api.dataset.BatchView;
import io.annals.command.api.dataset.FindBatchImpact;
import io.annals.command.api.endpoint.EndpointView;
import io.annals.command.api.endpoint.RevisionView;
import io.annals.command.api.endpoint.TargetView;
import io.annals.command.api.model.ModelVersionRef;
import io.annals.command.api.model.ModelVersionView;
import io.annals.command.api.trainingrun.TrainingRunView;
import io.annals.command.api.trainingset.TrainingSetView;
import io.annals.query.dataset.DatasetProjection;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Documents.Sort;
import io.annals.query.elastic.Documents.Source;
import io.annals.query.endpoint.EndpointProjection;
import io.annals.query.featureset.FeatureSetProjection;
import io.annals.query.model.ModelProjection;
import io.annals.query.trainingrun.TrainingRunProjection;
import io.annals.query.trainingrun.TrainingRunQueries;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.axonframework.queryhandling.QueryHandler;

/**
 * "What did this bad batch touch?": follows a batch forward through the runs that read it and the model versions
 * they became (each run records its version) to every endpoint whose revisions served one of them, and says whether
 * it still does. Two rounds of reads whatever the number of runs: the batch, the training sets made from it and the
 * runs that read it side by side; then the versions by id and the endpoints by the versions they served, side by side
 * (a third for the runs of a training set's output batch, when there is one). Each returns only the fields the
 * client asked for.
 */
public class BatchImpactQueries {

    /** What a run must hold for the versions and endpoints to be found, whatever the client asked for. */
    private static final Set<String> RUN_KEYS = Set.of("runId", "model", "modelVersion");
    private static final Set<String> VERSION_KEYS = Set.of("model", "version");

    private final Documents documents;

    public BatchImpactQueries(Documents documents) {
        this.documents = documents;
    }

    @QueryHandler
    Optional<BatchImpact> find(FindBatchImpact query) {
        String batchId = query.batchId().value();
        Source runSource = query.runFields() == null ? TrainingRunQueries.WITHOUT_EPOCHS
                : Source.including(union(query.runFields(), RUN_KEYS));
        // the batch, the training sets computed from it (as source or labels) and the runs that read it directly,
        // side by side: none of the three depends on another
        Supplier<Optional<BatchView>> batch = documents.fork(() -> documents.get(DatasetProjection.BATCHES, batchId));
        Supplier<List<TrainingSetView>> computed = documents.fork(() -> documents.all(
                FeatureSetProjection.TRAINING_SETS,
                Query.of(q -> q.bool(b -> b.should(s -> s.term(t -> t.field("sources.batch.batchId").value(batchId)))
                        .should(s -> s.term(t -> t.field("labelBatches.batch.batchId").value(batchId))))),
                List.of(Sort.desc("requestedAt"), Sort.asc("id")), Source.ALL));
        List<TrainingRunView> direct = runsReading(List.of(batchId), runSource);
        if (batch.get().isEmpty()) {
            return Optional.empty();
        }
        List<TrainingSetView> trainingSets = computed.get();
        List<String> outputs = trainingSets.stream().filter(t -> t.output() != null)
                .map(t -> t.output().batchId().value()).toList();
        // runs that read a training set made from the batch read it through the set's output batch
        List<TrainingRunView> runs = outputs.isEmpty() ? direct
                : runsReading(Stream.concat(Stream.of(batchId), outputs.stream()).toList(), runSource);
        List<String> touched = runs.stream().filter(r -> r.modelVersion() != null)
                .map(r -> ModelVersionRef.of(r.model(), r.modelVersion()).toString()).distinct().toList();
        Supplier<List<EndpointImpact>> impacts = query.withEndpoints()
                ? documents.fork(() -> endpoints(Set.copyOf(touched))) : List::of;
        List<ModelVersionView> versions = versions(query.versionFields(), touched);
        return Optional.of(new BatchImpact(batch.get().get(), trainingSets, runs, versions, impacts.get()));
    }

    private List<TrainingRunView> runsReading(List<String> batchIds, Source source) {
        return documents.all(TrainingRunProjection.RUNS, Query.of(q -> q.terms(t -> t.field("batches.batchId")
                        .terms(v -> v.value(batchIds.stream().map(FieldValue::of).toList())))),
                List.of(Sort.desc("requestedAt"), Sort.asc("runId")), source);
    }

    /**
     * The versions the runs became. A client that asks only which versions (model and number) gets them from the runs,
     * which record the version each became, without reading the versions themselves.
     */
    private List<ModelVersionView> versions(Set<String> fields, List<String> touched) {
        if (fields != null && VERSION_KEYS.containsAll(fields)) {
            return touched.stream().map(ModelVersionRef::parse).map(ref -> new ModelVersionView(ref.model().value(),
                    ref.version(), null, null, null, null, null, null, null, null, null, -1, null, null)).toList();
        }
        return documents.getAll(ModelProjection.VERSIONS, touched, fields == null ? Source.ALL
                : Source.including(union(fields, VERSION_KEYS)));
    }

    private List<EndpointImpact> endpoints(Set<String> touched) {
        if (touched.isEmpty()) {
            return List.of();
        }
        List<EndpointView> endpoints = documents.all(EndpointProjection.ENDPOINTS,
                Query.of(q -> q.terms(t -> t.field("servedVersions").terms(v -> v.value(
                        touched.stream().map(FieldValue::of).toList())))),
                List.of(Sort.asc("name")), Source.ALL);
        List<EndpointImpact> impacts = new ArrayList<>();
        for (EndpointView endpoint : endpoints) {
            List<Integer> revisions = endpoint.revisions().stream()
                    .filter(r -> servesAny(r.targets(), touched)).map(RevisionView::revision).toList();
            if (!revisions.isEmpty()) {
                impacts.add(new EndpointImpact(endpoint.name(), servesAny(endpoint.targets(), touched), revisions));
            }
        }
        return impacts;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static boolean servesAny(List<TargetView> targets, Set<String> versions) {
        return targets.stream().anyMatch(t -> versions.contains(t.ref().toString()));
    }
}
