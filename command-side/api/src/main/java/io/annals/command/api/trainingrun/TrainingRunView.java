package io.annals.command.api.trainingrun;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.Positioned;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.trainingset.TrainingSetRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A training run as the read side knows it: what it was asked to do, who holds it, every epoch, and how it ended.
 * Each transition method returns the new state at the event's position. A read may leave fields out (lists of runs
 * leave out the epochs, a batch's impact reads only what its client asked for); those are null. A run read by id has
 * every field.
 */
public record TrainingRunView(String runId, String model, Task task, RunStatus status, List<RunInputView> batches,
                              List<String> features, String label, Hyperparameters hyperparameters, long seed,
                              List<EpochView> epochs, List<Metric> metrics, ArtifactRef artifact,
                              ScoreBaseline baseline, String workerId, Integer attempt, Instant leaseExpiresAt,
                              String failureReason, Integer modelVersion, String registrationFailure,
                              Instant requestedAt, Actor requestedBy, String correlationId, Instant finishedAt,
                              Instant updatedAt, long position, TrainingSetRef trainingSet, String rerunOf,
                              Map<String, String> environment) implements Positioned {

    public TrainingRunView {
        batches = batches == null ? null : List.copyOf(batches);
        features = features == null ? null : List.copyOf(features);
        epochs = epochs == null ? null : List.copyOf(epochs);
    }

    public static TrainingRunView requested(TrainingRunRequested e, Instant at, Actor actor, String correlationId,
                                            long position) {
        return new TrainingRunView(e.runId().value(), e.model().value(), e.task(), RunStatus.REQUESTED,
                e.inputs().stream().map(RunInputView::of).toList(), e.features(), e.label(), e.hyperparameters(),
                e.seed(), List.of(), null, null, null, null, null, null, null, null, null, at, actor, correlationId,
                null, at, position, e.trainingSet(), e.rerunOf() == null ? null : e.rerunOf().value(), null);
    }

    public TrainingRunView claimed(String worker, int attemptNumber, Instant lease, Instant at, long position) {
        return new TrainingRunView(runId, model, task, RunStatus.RUNNING, batches, features, label, hyperparameters,
                seed, epochs, metrics, artifact, baseline, worker, attemptNumber, lease, failureReason, modelVersion,
                registrationFailure, requestedAt, requestedBy, correlationId, finishedAt, at, position, trainingSet, rerunOf, environment);
    }

    /** An epoch recorded again (a retried batch, a new attempt) replaces the one with the same number. */
    public TrainingRunView withEpoch(EpochView epoch, Instant lease, Instant at, long position) {
        List<EpochView> next = new ArrayList<>(epochs);
        next.removeIf(e -> e.epoch() == epoch.epoch());
        next.add(epoch);
        next.sort(Comparator.comparingInt(EpochView::epoch));
        return new TrainingRunView(runId, model, task, status, batches, features, label, hyperparameters, seed, next,
                metrics, artifact, baseline, workerId, attempt, lease, failureReason, modelVersion,
                registrationFailure, requestedAt, requestedBy, correlationId, finishedAt, at, position, trainingSet, rerunOf, environment);
    }

    public TrainingRunView leaseExpired(Instant at, long position) {
        return new TrainingRunView(runId, model, task, RunStatus.REQUESTED, batches, features, label, hyperparameters,
                seed, epochs, metrics, artifact, baseline, null, attempt, null, failureReason, modelVersion,
                registrationFailure, requestedAt, requestedBy, correlationId, finishedAt, at, position, trainingSet, rerunOf, environment);
    }

    public TrainingRunView completed(List<Metric> finalMetrics, ArtifactRef stored, ScoreBaseline scores,
                                     Map<String, String> trainedBy, Instant at, long position) {
        return new TrainingRunView(runId, model, task, RunStatus.COMPLETED, batches, features, label,
                hyperparameters, seed, epochs, finalMetrics, stored, scores, workerId, attempt, leaseExpiresAt,
                failureReason, modelVersion, registrationFailure, requestedAt, requestedBy, correlationId, at, at,
                position, trainingSet, rerunOf, trainedBy);
    }

    public TrainingRunView failed(String reason, Instant at, long position) {
        return new TrainingRunView(runId, model, task, RunStatus.FAILED, batches, features, label, hyperparameters,
                seed, epochs, metrics, artifact, baseline, workerId, attempt, leaseExpiresAt, reason, modelVersion,
                registrationFailure, requestedAt, requestedBy, correlationId, at, at, position, trainingSet, rerunOf, environment);
    }

    /** Registered as {@code version} of its model ({@code failure} null), or refused by the model. */
    public TrainingRunView registration(Integer version, String failure, Instant at, long position) {
        return new TrainingRunView(runId, model, task, status, batches, features, label, hyperparameters, seed,
                epochs, metrics, artifact, baseline, workerId, attempt, leaseExpiresAt, failureReason,
                version != null ? version : modelVersion, failure, requestedAt, requestedBy, correlationId,
                finishedAt, at, position, trainingSet, rerunOf, environment);
    }
}
