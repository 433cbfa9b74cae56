package io.annals.command.api.webhook;

/** One webhook; answers an {@code Optional<WebhookView>}. */
public record FindWebhook(WebhookId webhookId) {
}
