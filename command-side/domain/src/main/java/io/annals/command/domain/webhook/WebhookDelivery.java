package io.annals.command.domain.webhook;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.annals.command.api.common.StreamId;
import io.annals.command.api.webhook.RecordWebhookDelivery;
import io.annals.command.api.webhook.WebhookDeliveryAttempted;
import io.annals.command.domain.config.StreamTargetResolver;
import java.util.HashSet;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * The attempts to deliver one event to one webhook, in a stream of their own (a webhook's own stream stays short).
 * Recording an attempt twice (the dispatcher's command repeated) records it once.
 */
@Aggregate(commandTargetResolver = StreamTargetResolver.BEAN)
public class WebhookDelivery {

    @AggregateIdentifier
    private String streamId;
    private final Set<String> attempts = new HashSet<>();

    protected WebhookDelivery() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RecordWebhookDelivery command) {
        if (attempts.contains(command.attempt().attemptId())) {
            return;
        }
        apply(new WebhookDeliveryAttempted(command.deliveryId(), command.webhookId(), command.attempt()));
    }

    @EventSourcingHandler
    void on(WebhookDeliveryAttempted event) {
        streamId = StreamId.of(event.deliveryId()).toString();
        attempts.add(event.attempt().attemptId());
    }
}
