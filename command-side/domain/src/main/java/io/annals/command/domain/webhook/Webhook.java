package io.annals.command.domain.webhook;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.webhook.RegisterWebhook;
import io.annals.command.api.webhook.RemoveWebhook;
import io.annals.command.api.webhook.ReplayWebhook;
import io.annals.command.api.webhook.StartWebhookReplay;
import io.annals.command.api.webhook.WebhookId;
import io.annals.command.api.webhook.WebhookRegistered;
import io.annals.command.api.webhook.WebhookRemoved;
import io.annals.command.api.webhook.WebhookReplayRequested;
import io.annals.command.api.webhook.WebhookReplayStarted;
import io.annals.command.domain.config.StreamTargetResolver;
import java.util.HashSet;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/** A webhook: registered once, replayed on request (each replay taken on once), removed once. */
@Aggregate(commandTargetResolver = StreamTargetResolver.BEAN)
public class Webhook {

    @AggregateIdentifier
    private String streamId;
    private WebhookId webhookId;
    private boolean removed;
    private final Set<String> requested = new HashSet<>();
    private final Set<String> started = new HashSet<>();

    protected Webhook() {
    }

    @CommandHandler
    public Webhook(RegisterWebhook command) {
        apply(new WebhookRegistered(command.webhookId(), command.displayUrl(), command.events(), command.sealedUrl(),
                command.sealedSecret()));
    }

    @CommandHandler
    public void handle(RemoveWebhook command) {
        if (removed) {
            throw DomainException.conflict("webhook " + webhookId + " was removed already");
        }
        apply(new WebhookRemoved(webhookId));
    }

    @CommandHandler
    public void handle(ReplayWebhook command) {
        if (removed) {
            throw DomainException.conflict("webhook " + webhookId + " was removed; a removed webhook is not replayed");
        }
        if (requested.contains(command.replayId())) {
            return;
        }
        apply(new WebhookReplayRequested(webhookId, command.replayId(), command.fromPosition(), command.fromTime()));
    }

    /** Returns true when this took the replay on, false when it was taken on before. */
    @CommandHandler
    public boolean handle(StartWebhookReplay command) {
        if (!requested.contains(command.replayId())) {
            throw DomainException.notFound("webhook " + webhookId + " has no replay " + command.replayId());
        }
        if (started.contains(command.replayId()) || removed) {
            return false;
        }
        apply(new WebhookReplayStarted(webhookId, command.replayId()));
        return true;
    }

    @EventSourcingHandler
    void on(WebhookRegistered event) {
        webhookId = event.webhookId();
        streamId = StreamId.of(webhookId).toString();
    }

    @EventSourcingHandler
    void on(WebhookRemoved event) {
        removed = true;
    }

    @EventSourcingHandler
    void on(WebhookReplayRequested event) {
        requested.add(event.replayId());
    }

    @EventSourcingHandler
    void on(WebhookReplayStarted event) {
        started.add(event.replayId());
    }
}
