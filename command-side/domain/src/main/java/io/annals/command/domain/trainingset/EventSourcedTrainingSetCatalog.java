package io.annals.command.domain.trainingset;

import io.annals.command.api.common.StreamId;
import io.annals.command.api.trainingset.TrainingSetId;
import io.annals.command.api.trainingset.TrainingSetStatus;
import java.util.Optional;
import java.util.function.Function;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/** Answers from the TrainingSet aggregate itself, so the answer is never behind the event store. */
@Component
class EventSourcedTrainingSetCatalog implements TrainingSetCatalog {

    private final Repository<TrainingSet> trainingSets;

    EventSourcedTrainingSetCatalog(Repository<TrainingSet> trainingSets) {
        this.trainingSets = trainingSets;
    }

    @Override
    public Optional<TrainingSetStatus> status(TrainingSetId id) {
        return read(id, TrainingSet::status);
    }

    @Override
    public Optional<Completed> completed(TrainingSetId id) {
        return read(id, t -> t.completed().orElse(null));
    }

    private <T> Optional<T> read(TrainingSetId id, Function<TrainingSet, T> query) {
        try {
            return Optional.ofNullable(trainingSets.load(StreamId.of(id).toString()).invoke(query));
        } catch (AggregateNotFoundException e) {
            return Optional.empty();
        }
    }
}
