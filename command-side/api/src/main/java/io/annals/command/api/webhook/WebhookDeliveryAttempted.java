package io.annals.command.api.webhook;

public record WebhookDeliveryAttempted(WebhookDeliveryId deliveryId, WebhookId webhookId, WebhookAttempt attempt) {
}
