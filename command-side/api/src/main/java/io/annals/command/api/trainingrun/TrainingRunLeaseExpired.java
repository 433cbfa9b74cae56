package io.annals.command.api.trainingrun;

/** The worker that held the run stopped renewing its lease; the run is open for another claim. */
public record TrainingRunLeaseExpired(TrainingRunId runId, String workerId, int attempt) {
}
