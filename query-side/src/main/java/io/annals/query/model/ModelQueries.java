package io.annals.query.model;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.annals.command.api.common.Page;
import io.annals.command.api.model.FindModel;
import io.annals.command.api.model.FindModelVersions;
import io.annals.command.api.model.FindModelVersionsByRef;
import io.annals.command.api.model.FindModels;
import io.annals.command.api.model.ModelVersionRef;
import io.annals.command.api.model.ModelVersionView;
import io.annals.command.api.model.ModelView;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Documents.Source;
import io.annals.query.elastic.Documents.Sort;
import java.util.List;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;

/** Models by name, one model, and a model's versions newest first. */
public class ModelQueries {

    private final Documents documents;

    public ModelQueries(Documents documents) {
        this.documents = documents;
    }

    @QueryHandler
    Page<ModelView> find(FindModels query) {
        return documents.page(ModelProjection.MODELS, null, List.of(Sort.asc("name")), query.page(), Source.ALL);
    }

    @QueryHandler
    Optional<ModelView> find(FindModel query) {
        return documents.get(ModelProjection.MODELS, query.name().value());
    }

    @QueryHandler
    Page<ModelVersionView> find(FindModelVersions query) {
        return documents.page(ModelProjection.VERSIONS,
                Query.of(q -> q.term(t -> t.field("model").value(query.model().value()))),
                List.of(Sort.desc("version")), query.page(), Source.ALL);
    }

    @QueryHandler
    List<ModelVersionView> find(FindModelVersionsByRef query) {
        return documents.getAll(ModelProjection.VERSIONS,
                query.versions().stream().map(ModelVersionRef::toString).toList(), Source.ALL);
    }

    public Optional<ModelVersionView> version(ModelVersionRef ref) {
        return documents.get(ModelProjection.VERSIONS, ref.toString());
    }
}
