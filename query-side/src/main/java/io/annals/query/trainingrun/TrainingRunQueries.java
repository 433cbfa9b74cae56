package io.annals.query.trainingrun;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.annals.command.api.common.Page;
import io.annals.command.api.trainingrun.FindTrainingRun;
import io.annals.command.api.trainingrun.FindTrainingRuns;
import io.annals.command.api.trainingrun.FindTrainingRunsById;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.api.trainingrun.TrainingRunView;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Documents.Source;
import io.annals.query.elastic.Documents.Sort;
import java.util.List;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;

/** One run with every epoch; runs newest first, of one model or all. */
public class TrainingRunQueries {

    /** Lists leave out every run's epochs (a run of 1,000 epochs is most of its document); one run has them. */
    public static final Source WITHOUT_EPOCHS = Source.excluding(List.of("epochs"));

    private final Documents documents;

    public TrainingRunQueries(Documents documents) {
        this.documents = documents;
    }

    @QueryHandler
    Optional<TrainingRunView> find(FindTrainingRun query) {
        return documents.get(TrainingRunProjection.RUNS, query.runId().value());
    }

    @QueryHandler
    List<TrainingRunView> find(FindTrainingRunsById query) {
        return documents.getAll(TrainingRunProjection.RUNS,
                query.runIds().stream().map(TrainingRunId::value).toList(), Source.ALL);
    }

    @QueryHandler
    Page<TrainingRunView> find(FindTrainingRuns query) {
        Query filter = query.model() == null ? null
                : Query.of(q -> q.term(t -> t.field("model").value(query.model().value())));
        return documents.page(TrainingRunProjection.RUNS, filter,
                List.of(Sort.desc("requestedAt"), Sort.asc("runId")), query.page(), WITHOUT_EPOCHS);
    }
}
