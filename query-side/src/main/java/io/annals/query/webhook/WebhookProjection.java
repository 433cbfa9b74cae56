package io.annals.query.webhook;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.webhook.WebhookDeliveryAttempted;
import io.annals.command.api.webhook.WebhookDeliveryView;
import io.annals.command.api.webhook.WebhookRegistered;
import io.annals.command.api.webhook.WebhookRemoved;
import io.annals.command.api.webhook.WebhookReplayRequested;
import io.annals.command.api.webhook.WebhookReplayStarted;
import io.annals.command.api.webhook.WebhookView;
import io.annals.query.elastic.Positions;
import io.annals.query.elastic.ReadModel;
import io.annals.query.elastic.ReadModelStore;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.annotation.MetaDataValue;

/** Webhooks (one document each, with their replays) and delivery attempts (one document each). */
@ProcessingGroup(WebhookProjection.PROCESSING_GROUP)
public class WebhookProjection {

    public static final String PROCESSING_GROUP = "webhook-projection";
    public static final ReadModel<WebhookView> WEBHOOKS = new ReadModel<>("annals-webhooks-v1", WebhookView.class,
            """
            {"id":{"type":"keyword"},"registeredAt":{"type":"date"},"events":{"type":"keyword"}}""");
    public static final ReadModel<WebhookDeliveryView> DELIVERIES = new ReadModel<>("annals-webhook-deliveries-v1",
            WebhookDeliveryView.class, """
            {"id":{"type":"keyword"},"webhookId":{"type":"keyword"},"deliveryId":{"type":"keyword"},
             "attempt":{"properties":{"attemptedAt":{"type":"date"},"eventId":{"type":"keyword"},
               "outcome":{"type":"keyword"},"eventType":{"type":"keyword"}}}}""");

    private final ReadModelStore store;

    public WebhookProjection(ReadModelStore store) {
        this.store = store;
        store.readAhead(WEBHOOKS, event -> {
            if (event instanceof WebhookRemoved e) {
                return List.of(e.webhookId().value());
            } else if (event instanceof WebhookReplayRequested e) {
                return List.of(e.webhookId().value());
            } else if (event instanceof WebhookReplayStarted e) {
                return List.of(e.webhookId().value());
            }
            return List.of();
        });
    }

    @EventHandler
    void on(WebhookRegistered e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        WebhookView webhook = WebhookView.registered(e, at, Actor.of(actor), Positions.of(token));
        store.write(WEBHOOKS, webhook.id(), webhook);
    }

    @EventHandler
    void on(WebhookRemoved e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        long position = Positions.of(token);
        store.apply(WEBHOOKS, e.webhookId().value(), position, null,
                webhook -> webhook.removed(at, Actor.of(actor), position));
    }

    @EventHandler
    void on(WebhookReplayRequested e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        long position = Positions.of(token);
        store.apply(WEBHOOKS, e.webhookId().value(), position, null,
                webhook -> webhook.replayRequested(e, at, Actor.of(actor), position));
    }

    @EventHandler
    void on(WebhookReplayStarted e, @Timestamp Instant at, TrackingToken token) {
        long position = Positions.of(token);
        store.apply(WEBHOOKS, e.webhookId().value(), position, null,
                webhook -> webhook.replayStarted(e.replayId(), at, position));
    }

    @EventHandler
    void on(WebhookDeliveryAttempted e, TrackingToken token) {
        WebhookDeliveryView attempt = new WebhookDeliveryView(e.attempt().attemptId(), e.webhookId().value(),
                e.deliveryId().value(), e.attempt(), Positions.of(token));
        store.write(DELIVERIES, attempt.id(), attempt);
    }

    @ResetHandler
    void reset() {
        store.startGeneration(WEBHOOKS);
        store.startGeneration(DELIVERIES);
    }
}
