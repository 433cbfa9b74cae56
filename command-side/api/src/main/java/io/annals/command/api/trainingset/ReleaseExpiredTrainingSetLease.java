package io.annals.command.api.trainingset;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Frees a job whose worker's lease ran out, so another takes it over (or fails it after the last attempt). */
public record ReleaseExpiredTrainingSetLease(@TargetAggregateIdentifier TrainingSetId id, Instant now) {
}
