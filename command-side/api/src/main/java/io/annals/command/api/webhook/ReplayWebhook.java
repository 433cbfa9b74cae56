package io.annals.command.api.webhook;

import io.annals.command.api.common.Ids;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Delivers again, to one webhook, every event it receives from a position of the log (as {@code auditEvents} shows
 * it) or from a time; exactly one of the two.
 */
public record ReplayWebhook(@TargetAggregateIdentifier WebhookId webhookId, String replayId, Long fromPosition,
                            Instant fromTime) {

    public ReplayWebhook {
        Ids.requireText("replay id", replayId);
        if ((fromPosition == null) == (fromTime == null)) {
            throw new IllegalArgumentException("a replay starts from a position or from a time (one of the two)");
        }
        if (fromPosition != null && fromPosition < 0) {
            throw new IllegalArgumentException("a position is 0 or more, got " + fromPosition);
        }
    }
}
