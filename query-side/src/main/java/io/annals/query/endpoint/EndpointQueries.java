package io.annals.query.endpoint;

import io.annals.command.api.common.Page;
import io.annals.command.api.endpoint.EndpointView;
import io.annals.command.api.endpoint.FindEndpoint;
import io.annals.command.api.endpoint.FindEndpoints;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Documents.Source;
import io.annals.query.elastic.Documents.Sort;
import java.util.List;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;

/** Endpoints by name, and one endpoint with its revisions. */
public class EndpointQueries {

    private final Documents documents;

    public EndpointQueries(Documents documents) {
        this.documents = documents;
    }

    @QueryHandler
    Page<EndpointView> find(FindEndpoints query) {
        return documents.page(EndpointProjection.ENDPOINTS, null, List.of(Sort.asc("name")), query.page(),
                Source.ALL);
    }

    @QueryHandler
    Optional<EndpointView> find(FindEndpoint query) {
        return documents.get(EndpointProjection.ENDPOINTS, query.name().value());
    }
}
