package io.annals.command.api.webhook;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The dispatcher takes a requested replay on; answers false when it was taken already (by it, or another). */
public record StartWebhookReplay(@TargetAggregateIdentifier WebhookId webhookId, String replayId) {
}
