package io.annals.query.lineage;

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
import io.annals.query.elastic.Documents.Source;
import io.annals.query.featureset.FeatureSetProjection;
import io.annals.query.model.ModelProjection;
import io.annals.query.trainingrun.TrainingRunProjection;
import io.annals.query.trainingrun.TrainingRunQueries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;

/**
 * "What data trained this model?": a model version, the run that produced it (without its epochs), each batch the
 * run read (with the digest it was verified against), and each batch's dataset; three reads, the batches and their
 * datasets together in one. When the run trained on a training set, one more read follows the chain back: the
 * training set (with the exact source and label batches it pinned) and its feature set version.
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
        return documents.get(ModelProjection.VERSIONS, ref.toString()).map(this::lineage);
    }

    private Lineage lineage(ModelVersionView version) {
        if (version.runId() == null) {
            // imported: no run, no batches; the version itself says who imported it and from what file
            return new Lineage(version, null, List.of(), List.of(), null, null, List.of());
        }
        TrainingRunView run = documents.getAll(TrainingRunProjection.RUNS, List.of(version.runId()),
                TrainingRunQueries.WITHOUT_EPOCHS).stream().findFirst().orElse(null);
        if (run == null) {
            return new Lineage(version, null, List.of(), List.of(), null, null, List.of());
        }
        List<RunInputView> inputs = new ArrayList<>(run.batches());
        TrainingSetView trainingSet = null;
        FeatureSetVersionView featureSetVersion = null;
        if (run.trainingSet() != null) {
            // the run read a training set: follow it to the feature set version and the batches it was computed from
            TrainingSetRef ref = run.trainingSet();
            Found found = documents.getAcross(List.of(
                    new Key<>(FeatureSetProjection.TRAINING_SETS, ref.id().value(), Source.ALL),
                    new Key<>(FeatureSetProjection.FEATURE_SETS, ref.featureSet().value(), Source.ALL)));
            trainingSet = found.get(FeatureSetProjection.TRAINING_SETS, ref.id().value()).orElse(null);
            featureSetVersion = found.get(FeatureSetProjection.FEATURE_SETS, ref.featureSet().value())
                    .flatMap(f -> f.versions().stream().filter(v -> v.version() == ref.version()).findFirst())
                    .orElse(null);
            if (trainingSet != null) {
                trainingSet.sources().forEach(b -> inputs.add(RunInputView.of(b)));
                trainingSet.labelBatches().forEach(b -> inputs.add(RunInputView.of(b)));
            }
        }
        // the batches and their datasets in one request
        List<String> batchIds = inputs.stream().map(RunInputView::batchId).distinct().toList();
        List<String> names = inputs.stream().map(RunInputView::dataset).distinct().toList();
        List<Key<?>> keys = new ArrayList<>();
        batchIds.forEach(id -> keys.add(new Key<>(DatasetProjection.BATCHES, id, Source.ALL)));
        names.forEach(name -> keys.add(new Key<>(DatasetProjection.DATASETS, name, Source.ALL)));
        Found found = documents.getAcross(keys);
        Map<String, BatchView> batches = new LinkedHashMap<>();
        found.all(DatasetProjection.BATCHES, batchIds).forEach(b -> batches.put(b.batchId(), b));
        List<DatasetView> datasets = found.all(DatasetProjection.DATASETS, names);
        List<BatchView> read = pick(batches, run.batches());
        List<BatchView> sources = pick(batches, inputs.subList(run.batches().size(), inputs.size()));
        return new Lineage(version, run, read, datasets, trainingSet, featureSetVersion, sources);
    }

    private static List<BatchView> pick(Map<String, BatchView> batches, List<RunInputView> inputs) {
        return inputs.stream().map(i -> batches.get(i.batchId())).filter(Objects::nonNull).distinct().toList();
    }
}
