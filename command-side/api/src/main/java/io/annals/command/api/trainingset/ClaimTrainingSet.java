package io.annals.command.api.trainingset;

import java.time.Duration;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A worker takes the job (or renews its lease) until {@code now + lease}. */
public record ClaimTrainingSet(@TargetAggregateIdentifier TrainingSetId id, String workerId, Instant now,
                               Duration lease) {
}
