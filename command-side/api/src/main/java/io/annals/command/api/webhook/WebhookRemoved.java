package io.annals.command.api.webhook;

public record WebhookRemoved(WebhookId webhookId) {
}
