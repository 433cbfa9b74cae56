package io.annals.command.api.webhook;

import io.annals.command.api.common.PageRequest;

/** Webhooks, newest first; answers a {@code Page<WebhookView>}. */
public record FindWebhooks(PageRequest page) {
}
