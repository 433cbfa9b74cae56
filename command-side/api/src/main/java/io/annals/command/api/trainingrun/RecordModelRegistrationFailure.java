package io.annals.command.api.trainingrun;

import io.annals.command.api.common.Ids;
import io.annals.command.api.model.ModelName;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records on a completed run that it could not become a version of its model, and why. Sent by the
 * model-registration policy when the model refuses the run for good; recording it twice is a no-op.
 */
public record RecordModelRegistrationFailure(@TargetAggregateIdentifier TrainingRunId runId, ModelName model,
                                             String reason) {

    public RecordModelRegistrationFailure {
        Ids.requireText("registration failure reason", reason);
    }
}
