package io.annals.command.api.webhook;

import java.util.List;

public record WebhookRegistered(WebhookId webhookId, String displayUrl, List<String> events, String sealedUrl,
                                String sealedSecret) {
}
