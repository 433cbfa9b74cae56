package io.annals.app.graphql;

import graphql.GraphQLContext;
import io.annals.app.graphql.Mutations.UserError;
import io.annals.app.security.Caller;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.Page;
import io.annals.command.api.webhook.FindWebhook;
import io.annals.command.api.webhook.FindWebhookDeliveries;
import io.annals.command.api.webhook.FindWebhooks;
import io.annals.command.api.webhook.RegisterWebhook;
import io.annals.command.api.webhook.RemoveWebhook;
import io.annals.command.api.webhook.ReplayWebhook;
import io.annals.command.api.webhook.WebhookAttempt;
import io.annals.command.api.webhook.WebhookDeliveryView;
import io.annals.command.api.webhook.WebhookId;
import io.annals.command.api.webhook.WebhookView;
import io.annals.infra.clients.SecretBox;
import io.annals.workers.port.CommandPort;
import io.annals.workers.webhook.WebhookUrls;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/**
 * Webhooks (administrators only): register one for a list of event types with a signing secret, remove it, replay it
 * from a position or a time, and read its delivery attempts. The URL and the secret are sealed before they reach the
 * log; the API shows only the URL's scheme, host and port.
 */
@Controller
class WebhookController {

    private final CommandPort commands;
    private final Queries queries;
    private final SecretBox secrets;

    WebhookController(CommandPort commands, Queries queries, SecretBox secrets) {
        this.commands = commands;
        this.queries = queries;
        this.secrets = secrets;
    }

    record RegisterWebhookInput(String url, List<String> events, String secret) {
    }

    record WebhookInput(String webhook) {
    }

    record ReplayWebhookInput(String webhook, Long fromPosition, Instant fromTime) {
    }

    /** {@code webhook} is resolved from the read model when asked for. */
    record WebhookPayload(WebhookId target, String replayId, boolean removed, List<UserError> errors) {
    }

    /** One attempt as the API shows it. */
    record Delivery(String id, String deliveryId, String eventId, String eventType, Long eventPosition, String subject,
                    int attempt, String outcome, Integer httpStatus, String error, long durationMillis,
                    Instant attemptedAt, String replayId) {

        static Delivery of(WebhookDeliveryView view) {
            WebhookAttempt a = view.attempt();
            return new Delivery(view.id(), view.deliveryId(), a.eventId(), a.eventType(), a.eventPosition(),
                    a.subject(), a.attempt(), a.outcome().name(), a.httpStatus(), a.error(), a.durationMillis(),
                    a.attemptedAt(), a.replayId());
        }
    }

    @MutationMapping
    WebhookPayload registerWebhook(@Argument RegisterWebhookInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run(null, null, () -> {
            URI url = WebhookUrls.require(input.url());
            if (input.secret() == null || input.secret().length() < 16 || input.secret().length() > 256) {
                throw new IllegalArgumentException("a webhook secret has 16 to 256 characters");
            }
            WebhookId id = WebhookId.of(UUID.randomUUID().toString());
            commands.send(new RegisterWebhook(id, WebhookUrls.display(url), input.events(),
                    secrets.seal(url.toString()),
                    secrets.seal(input.secret())), actor, null);
            return new WebhookPayload(id, null, false, List.of());
        }, errors -> new WebhookPayload(null, null, false, errors));
    }

    @MutationMapping
    WebhookPayload removeWebhook(@Argument WebhookInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("webhook '" + input.webhook() + "' does not exist", null, () -> {
            WebhookId id = WebhookId.of(input.webhook());
            commands.send(new RemoveWebhook(id), actor, null);
            return new WebhookPayload(id, null, true, List.of());
        }, errors -> new WebhookPayload(null, null, false, errors));
    }

    @MutationMapping
    WebhookPayload replayWebhook(@Argument ReplayWebhookInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("webhook '" + input.webhook() + "' does not exist", null, () -> {
            WebhookId id = WebhookId.of(input.webhook());
            String replayId = UUID.randomUUID().toString();
            commands.send(new ReplayWebhook(id, replayId, input.fromPosition(), input.fromTime()), actor, null);
            return new WebhookPayload(id, replayId, false, List.of());
        }, errors -> new WebhookPayload(null, null, false, errors));
    }

    @SchemaMapping(typeName = "WebhookPayload", field = "webhook")
    WebhookView changed(WebhookPayload payload) {
        if (payload.target() == null) {
            return null;
        }
        return ReadYourWrites.await("webhook " + payload.target(), () -> queries.one(
                new FindWebhook(payload.target()), WebhookView.class), w -> payload.removed() ? !w.active()
                : payload.replayId() == null || w.replays().stream().anyMatch(r -> r.replayId().equals(
                        payload.replayId())));
    }

    @QueryMapping
    Page<WebhookView> webhooks(@Argument Integer first, @Argument String after) {
        return queries.page(new FindWebhooks(Queries.request(first, after)), WebhookView.class);
    }

    @QueryMapping
    WebhookView webhook(@Argument String id) {
        return queries.one(new FindWebhook(WebhookId.of(id)), WebhookView.class).orElse(null);
    }

    @SchemaMapping(typeName = "Webhook", field = "deliveries")
    Page<Delivery> deliveries(WebhookView webhook, @Argument Integer first, @Argument String after) {
        Page<WebhookDeliveryView> page = queries.page(new FindWebhookDeliveries(WebhookId.of(webhook.id()),
                Queries.request(first, after)), WebhookDeliveryView.class);
        return new Page<>(page.edges().stream().map(e -> new Page.Edge<>(e.cursor(), Delivery.of(e.node())))
                .toList(), page.pageInfo(), page.totalCount());
    }
}
