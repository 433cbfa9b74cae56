package io.annals.command.api.webhook;

import java.time.Instant;

/**
 * One attempt to deliver one event to one webhook.
 *
 * @param attemptId     unique per attempt (recording the same attempt twice records it once)
 * @param eventPosition the event's position in the log (null for events published before positions were)
 * @param subject       the entity the event is about ({@code alert:scoring~risk~v1})
 * @param attempt       1 for the first attempt of this delivery (of a replay, counted afresh)
 * @param httpStatus    the receiver's status, null when it did not answer
 * @param replayId      the replay that sent it, null for a live delivery
 */
public record WebhookAttempt(String attemptId, String eventId, String eventType, Long eventPosition, String subject,
                             int attempt, DeliveryOutcome outcome, Integer httpStatus, String error,
                             long durationMillis, Instant attemptedAt, String replayId) {
}
