package io.annals.query.pipeline;

import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.annals.command.api.common.Page;
import io.annals.command.api.pipeline.FindPipelineRuns;
import io.annals.command.api.pipeline.FindPipelines;
import io.annals.command.api.pipeline.PipelineRunView;
import io.annals.command.api.pipeline.PipelineView;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Documents.Source;
import io.annals.query.elastic.Documents.Sort;
import java.util.List;
import org.axonframework.queryhandling.QueryHandler;

/** Pipelines by name; pipeline runs newest first, by pipeline, batch and status. */
public class PipelineRunQueries {

    private final Documents documents;

    public PipelineRunQueries(Documents documents) {
        this.documents = documents;
    }

    @QueryHandler
    Page<PipelineView> find(FindPipelines query) {
        Query filter = query.model() == null ? Query.of(q -> q.matchAll(m -> m))
                : Query.of(q -> q.term(t -> t.field("model").value(query.model())));
        return documents.page(PipelineRunProjection.PIPELINES, filter, List.of(Sort.asc("name")), query.page(),
                Source.ALL);
    }

    @QueryHandler
    Page<PipelineRunView> find(FindPipelineRuns query) {
        BoolQuery.Builder bool = new BoolQuery.Builder();
        if (query.pipeline() != null) {
            bool.filter(f -> f.term(t -> t.field("pipeline").value(query.pipeline())));
        }
        if (query.batchId() != null) {
            bool.filter(f -> f.term(t -> t.field("batchIds").value(query.batchId())));
        }
        if (query.status() != null) {
            bool.filter(f -> f.term(t -> t.field("status").value(query.status().name())));
        }
        return documents.page(PipelineRunProjection.RUNS, Query.of(q -> q.bool(bool.build())),
                List.of(Sort.desc("startedAt"), Sort.asc("id")), query.page(), Source.ALL);
    }
}
