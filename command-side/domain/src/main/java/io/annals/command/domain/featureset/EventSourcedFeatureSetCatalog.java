package io.annals.command.domain.featureset;

import io.annals.command.api.common.StreamId;
import io.annals.command.api.featureset.FeatureSetDefinition;
import io.annals.command.api.featureset.FeatureSetName;
import java.util.Optional;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/** Answers from the FeatureSet aggregate itself, so the answer is never behind the event store. */
@Component
class EventSourcedFeatureSetCatalog implements FeatureSetCatalog {

    private final Repository<FeatureSet> featureSets;

    EventSourcedFeatureSetCatalog(Repository<FeatureSet> featureSets) {
        this.featureSets = featureSets;
    }

    @Override
    public Optional<FeatureSetDefinition> version(FeatureSetName name, int version) {
        try {
            return featureSets.load(StreamId.of(name).toString()).invoke(f -> f.version(version));
        } catch (AggregateNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Integer> latest(FeatureSetName name) {
        try {
            return featureSets.load(StreamId.of(name).toString()).invoke(FeatureSet::latest);
        } catch (AggregateNotFoundException e) {
            return Optional.empty();
        }
    }
}
