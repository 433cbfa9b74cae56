package io.annals.command.api.webhook;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.annals.command.api.common.Ids;

/** The delivery of one event to one webhook, {@code <webhook id>/<event id>}: the stream of its attempts. */
public record WebhookDeliveryId(@JsonValue String value) {

    public WebhookDeliveryId {
        Ids.requireText("webhook delivery id", value);
    }

    @JsonCreator
    public static WebhookDeliveryId of(String value) {
        return new WebhookDeliveryId(value);
    }

    public static WebhookDeliveryId of(WebhookId webhook, String eventId) {
        return new WebhookDeliveryId(webhook.value() + "/" + eventId);
    }

    @Override
    public String toString() {
        return value;
    }
}
