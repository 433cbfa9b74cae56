package io.annals.command.api.trainingrun;

import io.annals.command.api.common.Ids;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record FailTrainingRun(@TargetAggregateIdentifier TrainingRunId runId, String workerId, String reason) {

    public FailTrainingRun {
        Ids.requireText("failure reason", reason);
    }
}
