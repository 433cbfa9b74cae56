package io.annals.command.api.webhook;

import io.annals.command.api.common.EventTypes;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Registers a webhook: {@code events} are the wire names it receives; {@code sealedUrl} and {@code sealedSecret} are
 * the URL and the signing secret sealed with the platform's key, {@code displayUrl} the URL's scheme, host and port
 * (what the log and the API show; a URL often holds a token).
 */
public record RegisterWebhook(@TargetAggregateIdentifier WebhookId webhookId, String displayUrl, List<String> events,
                              String sealedUrl, String sealedSecret) {

    public static final int MAX_EVENTS = 100;

    public RegisterWebhook {
        if (events == null || events.isEmpty()) {
            throw new IllegalArgumentException("a webhook needs at least one event type, such as "
                    + "annals.DriftAlertRaised");
        }
        if (events.size() > MAX_EVENTS) {
            throw new IllegalArgumentException("at most " + MAX_EVENTS + " event types, got " + events.size());
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String type : events) {
            if (!deliverable(type)) {
                throw new IllegalArgumentException("'" + type + "' is not an event type a webhook can receive; "
                        + "they are: " + String.join(", ", deliverableTypes()));
            }
            unique.add(type);
        }
        events = List.copyOf(unique);
        if (sealedUrl == null || sealedSecret == null || displayUrl == null) {
            throw new IllegalArgumentException("a webhook needs its sealed URL and secret");
        }
    }

    /** Every event type except the webhooks' own (a delivery of a delivery would never end). */
    public static boolean deliverable(String type) {
        return type != null && !type.startsWith("annals.Webhook") && EventTypes.typeOf(type).isPresent();
    }

    public static List<String> deliverableTypes() {
        return EventTypes.wireNames().stream().filter(RegisterWebhook::deliverable).toList();
    }
}
