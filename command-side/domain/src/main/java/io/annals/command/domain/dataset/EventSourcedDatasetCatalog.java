package io.annals.command.domain.dataset;

import io.annals.command.api.common.StreamId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/** Answers from the Dataset aggregate itself, so the answer is never behind the event store. */
@Component
class EventSourcedDatasetCatalog implements DatasetCatalog {

    private final Repository<Dataset> datasets;

    EventSourcedDatasetCatalog(Repository<Dataset> datasets) {
        this.datasets = datasets;
    }

    @Override
    public Optional<DatasetSchema> schema(DatasetName dataset) {
        return read(dataset, Dataset::schema);
    }

    @Override
    public Optional<BatchInput> batch(BatchRef batch) {
        return read(batch.dataset(), d -> d.batch(batch.batchId()).orElse(null));
    }

    @Override
    public java.util.Map<String, BatchInput> pointedAt(DatasetName dataset, java.util.Collection<String> partitions) {
        return read(dataset, d -> d.pointedAt(partitions)).orElse(java.util.Map.of());
    }

    private <T> Optional<T> read(DatasetName dataset, Function<Dataset, T> query) {
        try {
            return Optional.ofNullable(datasets.load(StreamId.of(dataset).toString()).invoke(query));
        } catch (AggregateNotFoundException e) {
            return Optional.empty();
        }
    }
}
