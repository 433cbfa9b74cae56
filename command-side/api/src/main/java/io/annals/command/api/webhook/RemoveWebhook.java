package io.annals.command.api.webhook;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stops deliveries to a webhook; its record and its deliveries stay. */
public record RemoveWebhook(@TargetAggregateIdentifier WebhookId webhookId) {
}
