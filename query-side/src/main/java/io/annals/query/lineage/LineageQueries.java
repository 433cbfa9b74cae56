package io.annals.query.lineage;

import io.annals.command.api.dataset.BatchView;
import io.annals.command.api.dataset.DatasetView;
import io.annals.command.api.model.FindModelLineage;
import io.annals.command.api.model.Lineage;
import io.annals.command.api.model.ModelVersionRef;
import io.annals.command.api.model.ModelVersionView;
import io.annals.command.api.trainingrun.RunInputView;
import io.annals.command.api.trainingrun.TrainingRunView;
import io.annals.query.dataset.DatasetProjection;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Documents.Source;
import io.annals.query.model.ModelProjection;
import io.annals.query.trainingrun.TrainingRunProjection;
import io.annals.query.trainingrun.TrainingRunQueries;
import java.util.List;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;

/**
 * "What data trained this model?": a model version, the run that produced it (without its epochs), each batch the
 * run read (with the digest it was verified against), and each batch's dataset; four reads, batches and datasets
 * each in one request.
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
            return new Lineage(version, null, List.of(), List.of());
        }
        List<String> batchIds = run.batches().stream().map(RunInputView::batchId).distinct().toList();
        List<BatchView> batches = documents.getAll(DatasetProjection.BATCHES, batchIds, Source.ALL);
        List<String> names = run.batches().stream().map(RunInputView::dataset).distinct().toList();
        List<DatasetView> datasets = documents.getAll(DatasetProjection.DATASETS, names, Source.ALL);
        return new Lineage(version, run, batches, datasets);
    }
}
