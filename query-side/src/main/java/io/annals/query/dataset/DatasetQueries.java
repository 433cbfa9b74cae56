package io.annals.query.dataset;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.annals.command.api.common.Page;
import io.annals.command.api.dataset.BatchView;
import io.annals.command.api.dataset.DatasetView;
import io.annals.command.api.dataset.FindBatch;
import io.annals.command.api.dataset.FindBatches;
import io.annals.command.api.dataset.FindDataset;
import io.annals.command.api.dataset.FindDatasets;
import io.annals.command.api.dataset.PartitionView;
import io.annals.command.api.dataset.RepointView;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Documents.Source;
import io.annals.query.elastic.Documents.Sort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
        Optional<DatasetView> now = documents.get(DatasetProjection.DATASETS, query.name().value());
        return query.asOf() == null ? now : now.filter(d -> !d.registeredAt().isAfter(query.asOf()))
                .map(d -> asOf(d, query.asOf()));
    }

    /** The partitions as the batches ingested and the re-points made up to {@code asOf} left them, in log order. */
    private DatasetView asOf(DatasetView dataset, Instant asOf) {
        List<BatchView> batches = new ArrayList<>(documents.all(DatasetProjection.BATCHES,
                Query.of(q -> q.bool(b -> b.filter(f -> f.term(t -> t.field("dataset").value(dataset.name())))
                        .filter(f -> f.range(r -> r.date(d -> d.field("ingestedAt").lte(asOf.toString())))))),
                List.of(Sort.asc("ingestedAt"), Sort.asc("batchId")),
                Source.including(List.of("batchId", "partition", "ingestedAt", "position"))));
        return replay(dataset, batches, asOf);
    }

    /** Folds the batches (any order) and the dataset's own re-points up to {@code asOf} into the map of that time. */
    static DatasetView replay(DatasetView dataset, List<BatchView> batches, Instant asOf) {
        List<BatchView> ingested = new ArrayList<>(batches);
        ingested.sort(Comparator.comparingLong(BatchView::position));
        List<RepointView> repoints = dataset.repoints().stream().filter(r -> !r.at().isAfter(asOf)).toList();
        DatasetView then = dataset.empty();
        int next = 0;
        for (BatchView batch : ingested) {
            while (next < repoints.size() && repoints.get(next).position() < batch.position()) {
                then = then.withRepoint(repoints.get(next++));
            }
            then = then.withBatch(new PartitionView(batch.partition(), batch.batchId(), batch.ingestedAt()),
                    dataset.position());
        }
        while (next < repoints.size()) {
            then = then.withRepoint(repoints.get(next++));
        }
        return new DatasetView(then.name(), then.description(), then.schema(), then.partitions(), then.batchCount(),
                then.registeredAt(), then.registeredBy(), dataset.position(), then.repoints());
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
