package io.annals.query.featureset;

import io.annals.command.api.common.Page;
import io.annals.command.api.featureset.FeatureSetView;
import io.annals.command.api.featureset.FindFeatureSet;
import io.annals.command.api.featureset.FindFeatureSets;
import io.annals.command.api.trainingset.FindTrainingSet;
import io.annals.command.api.trainingset.TrainingSetView;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Documents.Sort;
import io.annals.query.elastic.Documents.Source;
import java.util.List;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;

/** Feature sets (as of any instant: the versions registered by then) and training-set jobs. */
public class FeatureSetQueries {

    private final Documents documents;

    public FeatureSetQueries(Documents documents) {
        this.documents = documents;
    }

    @QueryHandler
    Optional<FeatureSetView> find(FindFeatureSet query) {
        Optional<FeatureSetView> now = documents.get(FeatureSetProjection.FEATURE_SETS, query.name().value());
        return query.asOf() == null ? now : now.map(f -> f.asOf(query.asOf()));
    }

    @QueryHandler
    Page<FeatureSetView> find(FindFeatureSets query) {
        return documents.page(FeatureSetProjection.FEATURE_SETS, null, List.of(Sort.asc("name")), query.page(),
                Source.ALL);
    }

    @QueryHandler
    Optional<TrainingSetView> find(FindTrainingSet query) {
        return documents.get(FeatureSetProjection.TRAINING_SETS, query.id().value());
    }
}
