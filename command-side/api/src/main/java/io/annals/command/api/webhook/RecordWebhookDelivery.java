package io.annals.command.api.webhook;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The dispatcher's record of an attempt. */
public record RecordWebhookDelivery(@TargetAggregateIdentifier WebhookDeliveryId deliveryId, WebhookId webhookId,
                                    WebhookAttempt attempt) {
}
