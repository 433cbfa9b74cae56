package io.annals.command.api.webhook;

import io.annals.command.api.common.Positioned;

/** One attempt, as {@code webhook { deliveries }} lists it ({@code id} is the attempt id). */
public record WebhookDeliveryView(String id, String webhookId, String deliveryId, WebhookAttempt attempt,
                                  long position) implements Positioned {
}
