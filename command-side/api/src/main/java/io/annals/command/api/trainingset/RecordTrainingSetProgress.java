package io.annals.command.api.trainingset;

import java.time.Duration;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** How far the holder of the job is (rows done of rows in all, 0 when not known yet); renews its lease. */
public record RecordTrainingSetProgress(@TargetAggregateIdentifier TrainingSetId id, String workerId, String phase,
                                        long done, long total, Instant now, Duration lease) {
}
