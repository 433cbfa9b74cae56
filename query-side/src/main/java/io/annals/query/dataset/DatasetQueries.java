package io.annals.query.dataset;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.annals.command.api.common.Page;
import io.annals.command.api.dataset.BatchView;
import io.annals.command.api.dataset.DatasetView;
import io.annals.command.api.dataset.FindBatch;
import io.annals.command.api.dataset.FindBatches;
import io.annals.command.api.dataset.FindDataset;
import io.annals.command.api.dataset.FindDatasets;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Documents.Source;
import io.annals.query.elastic.Documents.Sort;
import java.util.List;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;

/** Datasets by name, one dataset, and a dataset's batches newest first. */
public class DatasetQueries {

    private final Documents documents;

    public DatasetQueries(Documents documents) {
        this.documents = documents;
    }

    @QueryHandler
    Page<DatasetView> find(FindDatasets query) {
        return documents.page(DatasetProjection.DATASETS, null, List.of(Sort.asc("name")), query.page(), Source.ALL);
    }

    @QueryHandler
    Optional<DatasetView> find(FindDataset query) {
        return documents.get(DatasetProjection.DATASETS, query.name().value());
    }

    @QueryHandler
    Optional<BatchView> find(FindBatch query) {
        return documents.get(DatasetProjection.BATCHES, query.batchId().value());
    }

    @QueryHandler
    Page<BatchView> find(FindBatches query) {
        return documents.page(DatasetProjection.BATCHES,
                Query.of(q -> q.term(t -> t.field("dataset").value(query.dataset().value()))),
                List.of(Sort.desc("ingestedAt"), Sort.asc("batchId")), query.page(), Source.ALL);
    }
}
