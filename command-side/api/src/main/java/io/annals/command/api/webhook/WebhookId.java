package io.annals.command.api.webhook;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.annals.command.api.common.Ids;

/** A webhook's id, given by the platform when it is registered. */
public record WebhookId(@JsonValue String value) {

    public WebhookId {
        Ids.requireText("webhook id", value);
    }

    @JsonCreator
    public static WebhookId of(String value) {
        return new WebhookId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
