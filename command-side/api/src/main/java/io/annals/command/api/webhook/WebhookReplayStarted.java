package io.annals.command.api.webhook;

public record WebhookReplayStarted(WebhookId webhookId, String replayId) {
}
