package io.annals.command.api.trainingrun;

import io.annals.command.api.common.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A worker takes a run under a lease; {@code now} is the worker's clock, passed in so the aggregate has none. */
public record ClaimTrainingRun(@TargetAggregateIdentifier TrainingRunId runId, String workerId, Instant now,
                               Duration lease) {

    public ClaimTrainingRun {
        Objects.requireNonNull(runId, "run id is required");
        Ids.requireText("worker id", workerId);
        Objects.requireNonNull(now, "now is required");
        Objects.requireNonNull(lease, "lease is required");
    }
}
