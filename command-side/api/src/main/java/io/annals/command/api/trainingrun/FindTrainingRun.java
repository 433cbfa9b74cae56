package io.annals.command.api.trainingrun;

/** One run with its epochs; as a subscription query, its updates as it progresses. */
public record FindTrainingRun(TrainingRunId runId) {
}
