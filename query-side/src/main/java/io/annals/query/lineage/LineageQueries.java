package io.annals.query.lineage;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.annals.command.api.dataset.BatchView;
import io.annals.command.api.dataset.DatasetView;
import io.annals.command.api.featureset.FeatureSetVersionView;
import io.annals.command.api.model.FindModelLineage;
import io.annals.command.api.model.Lineage;
import io.annals.command.api.model.ModelVersionRef;
import io.annals.command.api.model.ModelVersionView;
import io.annals.command.api.trainingrun.RunInputView;
import io.annals.command.api.trainingrun.TrainingRunView;
import io.annals.command.api.trainingset.TrainingSetRef;
import io.annals.command.api.trainingset.TrainingSetView;
import io.annals.query.dataset.DatasetProjection;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Documents.Found;
import io.annals.query.elastic.Documents.Key;
import io.annals.query.elastic.Documents.Sort;
import io.annals.query.elastic.Documents.Source;
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
import org.axonframework.queryhandling.QueryHandler;

/**
 * "What data trained this model?": a model version, the run that produced it (without its epochs), each batch the
 * run read (with the digest it was verified against), and each batch's dataset. Two rounds of reads: the version and
 * its run side by side (the run found by the version it became, which its document records), then the batches and
 * their datasets together in one request. When the run trained on a training set, the second round also reads the
 * training set (with the exact source and label batches it pinned) and its feature set, and a third reads the batches
 * the set was computed from.
 */
public class LineageQueries {

    private final Documents documents;

    public LineageQueries(Documents documents) {
        this.documents = documents;
    }

    @QueryHandler
    Optional<Lineage> find(FindModelLineage query) {
        return lineage(new ModelVersionRef(query.model(), query.version()));
    }

    Optional<Lineage> lineage(ModelVersionRef ref) {
        // the version and its run side by side: neither read needs the other's answer
        Supplier<List<TrainingRunView>> became = documents.fork(() -> documents.all(TrainingRunProjection.RUNS,
                Query.of(q -> q.bool(b -> b.filter(f -> f.term(t -> t.field("model").value(ref.model().value())))
                        .filter(f -> f.term(t -> t.field("modelVersion").value(ref.version()))))),
                List.of(Sort.asc("runId")), TrainingRunQueries.WITHOUT_EPOCHS));
        Optional<ModelVersionView> version = documents.get(ModelProjection.VERSIONS, ref.toString());
        if (version.isEmpty()) {
            return Optional.empty();
        }
        String runId = version.get().runId();
        if (runId == null) {
            // imported: no run, no batches; the version itself says who imported it and from what file
            return Optional.of(new Lineage(version.get(), null, List.of(), List.of(), null, null, List.of()));
        }
        // the run projection records the version a run became when it reads the registration; until then (it may
        // be behind the model projection) the run is read by the id the version names
        TrainingRunView run = became.get().stream().filter(r -> runId.equals(r.runId())).findFirst()
                .or(() -> documents.getAll(TrainingRunProjection.RUNS, List.of(runId),
                        TrainingRunQueries.WITHOUT_EPOCHS).stream().findFirst())
                .orElse(null);
        return Optional.of(lineage(version.get(), run));
    }

    private Lineage lineage(ModelVersionView version, TrainingRunView run) {
        if (run == null) {
            return new Lineage(version, null, List.of(), List.of(), null, null, List.of());
        }
        TrainingSetRef set = run.trainingSet();
        // the batches the run read, their datasets and, for a training set, the set and its feature set: one request
        List<Key<?>> keys = new ArrayList<>(inputKeys(run.batches(), Set.of()));
        if (set != null) {
            keys.add(new Key<>(FeatureSetProjection.TRAINING_SETS, set.id().value(), Source.ALL));
            keys.add(new Key<>(FeatureSetProjection.FEATURE_SETS, set.featureSet().value(), Source.ALL));
        }
        Found found = documents.getAcross(keys);
        List<BatchView> read = found.all(DatasetProjection.BATCHES, batchIds(run.batches()));
        List<DatasetView> datasets = new ArrayList<>(found.all(DatasetProjection.DATASETS, names(run.batches())));
        if (set == null) {
            return new Lineage(version, run, read, datasets, null, null, List.of());
        }
        TrainingSetView trainingSet = found.get(FeatureSetProjection.TRAINING_SETS, set.id().value()).orElse(null);
        FeatureSetVersionView featureSetVersion = found.get(FeatureSetProjection.FEATURE_SETS,
                        set.featureSet().value())
                .flatMap(f -> f.versions().stream().filter(v -> v.version() == set.version()).findFirst())
                .orElse(null);
        if (trainingSet == null) {
            return new Lineage(version, run, read, datasets, null, featureSetVersion, List.of());
        }
        // the batches the set was computed from, and those of their datasets not read already
        List<RunInputView> sources = new ArrayList<>();
        trainingSet.sources().forEach(b -> sources.add(RunInputView.of(b)));
        trainingSet.labelBatches().forEach(b -> sources.add(RunInputView.of(b)));
        Set<String> known = new HashSet<>(names(run.batches()));
        Found more = documents.getAcross(inputKeys(sources, known));
        List<BatchView> sourceBatches = more.all(DatasetProjection.BATCHES, batchIds(sources));
        datasets.addAll(more.all(DatasetProjection.DATASETS, names(sources)));
        return new Lineage(version, run, read, datasets, trainingSet, featureSetVersion, sourceBatches);
    }

    /** The batches of {@code inputs} and their datasets (but those in {@code without}), to read in one request. */
    private static List<Key<?>> inputKeys(List<RunInputView> inputs, Set<String> without) {
        List<Key<?>> keys = new ArrayList<>();
        batchIds(inputs).forEach(id -> keys.add(new Key<>(DatasetProjection.BATCHES, id, Source.ALL)));
        names(inputs).stream().filter(name -> !without.contains(name))
                .forEach(name -> keys.add(new Key<>(DatasetProjection.DATASETS, name, Source.ALL)));
        return keys;
    }

    private static List<String> batchIds(List<RunInputView> inputs) {
        return inputs.stream().map(RunInputView::batchId).distinct().toList();
    }

    private static List<String> names(List<RunInputView> inputs) {
        return inputs.stream().map(RunInputView::dataset).distinct().toList();
    }
}
