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
 * run read (with the digest it was verified against), and each batch's dataset; four reads, batches and datasets
 * each in one request. When the run trained on a training set, two more reads follow the chain back: the training set
 * (with the exact source and label batches it pinned) and its feature set version.
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
            trainingSet = documents.get(FeatureSetProjection.TRAINING_SETS, ref.id().value()).orElse(null);
            featureSetVersion = documents.get(FeatureSetProjection.FEATURE_SETS, ref.featureSet().value())
                    .flatMap(f -> f.versions().stream().filter(v -> v.version() == ref.version()).findFirst())
                    .orElse(null);
            if (trainingSet != null) {
                trainingSet.sources().forEach(b -> inputs.add(RunInputView.of(b)));
                trainingSet.labelBatches().forEach(b -> inputs.add(RunInputView.of(b)));
            }
        }
        List<String> batchIds = inputs.stream().map(RunInputView::batchId).distinct().toList();
        Map<String, BatchView> batches = new LinkedHashMap<>();
        documents.getAll(DatasetProjection.BATCHES, batchIds, Source.ALL).forEach(b -> batches.put(b.batchId(), b));
        List<String> names = inputs.stream().map(RunInputView::dataset).distinct().toList();
        List<DatasetView> datasets = documents.getAll(DatasetProjection.DATASETS, names, Source.ALL);
        List<BatchView> read = pick(batches, run.batches());
        List<BatchView> sources = pick(batches, inputs.subList(run.batches().size(), inputs.size()));
        return new Lineage(version, run, read, datasets, trainingSet, featureSetVersion, sources);
    }

    private static List<BatchView> pick(Map<String, BatchView> batches, List<RunInputView> inputs) {
        return inputs.stream().map(i -> batches.get(i.batchId())).filter(Objects::nonNull).distinct().toList();
    }
}
