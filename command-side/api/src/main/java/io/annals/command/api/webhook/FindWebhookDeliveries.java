package io.annals.command.api.webhook;

import io.annals.command.api.common.PageRequest;

/** A webhook's delivery attempts, newest first; answers a {@code Page<WebhookDeliveryView>}. */
public record FindWebhookDeliveries(WebhookId webhookId, PageRequest page) {
}
