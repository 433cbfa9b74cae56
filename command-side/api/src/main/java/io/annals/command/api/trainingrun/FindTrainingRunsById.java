package io.annals.command.api.trainingrun;

import java.util.List;

/** Several runs by id, each with its epochs; answers a {@code List<TrainingRunView>} of those that exist. */
public record FindTrainingRunsById(List<TrainingRunId> runIds) {

    public FindTrainingRunsById {
        runIds = List.copyOf(runIds);
    }
}
