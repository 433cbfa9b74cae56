package io.annals.command.api.trainingrun;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sent by a watchdog when a claimed run's lease has run out: the run goes back to the queue for another worker,
 * or fails once it has used all its attempts. Rejected if the lease is still valid at {@code now}.
 */
public record ReleaseExpiredLease(@TargetAggregateIdentifier TrainingRunId runId, Instant now) {
}
