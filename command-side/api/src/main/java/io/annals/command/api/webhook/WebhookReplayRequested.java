package io.annals.command.api.webhook;

import java.time.Instant;

public record WebhookReplayRequested(WebhookId webhookId, String replayId, Long fromPosition, Instant fromTime) {
}
