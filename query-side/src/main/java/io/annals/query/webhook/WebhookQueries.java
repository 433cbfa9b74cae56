package io.annals.query.webhook;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.annals.command.api.common.Page;
import io.annals.command.api.common.PageRequest;
import io.annals.command.api.webhook.FindWebhook;
import io.annals.command.api.webhook.FindWebhookDeliveries;
import io.annals.command.api.webhook.FindWebhooks;
import io.annals.command.api.webhook.WebhookDeliveryView;
import io.annals.command.api.webhook.WebhookView;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Documents.Sort;
import io.annals.query.elastic.Documents.Source;
import java.util.List;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;

/** Webhooks newest first, one webhook, and a webhook's delivery attempts newest first. */
public class WebhookQueries {

    private final Documents documents;

    public WebhookQueries(Documents documents) {
        this.documents = documents;
    }

    @QueryHandler
    Page<WebhookView> find(FindWebhooks query) {
        return documents.page(WebhookProjection.WEBHOOKS, Query.of(q -> q.matchAll(m -> m)),
                List.of(Sort.desc("registeredAt"), Sort.asc("id")), query.page(), Source.ALL);
    }

    @QueryHandler
    Optional<WebhookView> find(FindWebhook query) {
        return documents.page(WebhookProjection.WEBHOOKS,
                Query.of(q -> q.term(t -> t.field("id").value(query.webhookId().value()))),
                List.of(Sort.asc("id")), PageRequest.first(1), Source.ALL).nodes().stream().findFirst();
    }

    @QueryHandler
    Page<WebhookDeliveryView> find(FindWebhookDeliveries query) {
        return documents.page(WebhookProjection.DELIVERIES,
                Query.of(q -> q.term(t -> t.field("webhookId").value(query.webhookId().value()))),
                List.of(Sort.desc("attempt.attemptedAt"), Sort.asc("id")), query.page(), Source.ALL);
    }
}
