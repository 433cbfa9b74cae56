package io.annals.command.api.trainingset;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.Positioned;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.trainingrun.BatchInput;
import java.time.Instant;
import java.util.List;

/**
 * A training set's job as the read side knows it: what it reads (exactly), its status and progress, and once
 * completed the batch it became.
 */
public record TrainingSetView(String id, String featureSet, int version, String outputDataset,
                              DatasetSchema outputSchema, List<BatchInput> sources, LabelSpec labels,
                              List<BatchInput> labelBatches, TrainingSetStatus status, String phase, long done,
                              long total, int attempt, String workerId, TrainingSetOutput output, String failure,
                              Instant requestedAt, Actor requestedBy, Instant finishedAt, long position)
        implements Positioned {

    public TrainingSetView {
        sources = sources == null ? null : List.copyOf(sources);
        labelBatches = labelBatches == null ? null : List.copyOf(labelBatches);
    }

    public TrainingSetView claimed(String worker, int attemptNumber, long at) {
        return new TrainingSetView(id, featureSet, version, outputDataset, outputSchema, sources, labels,
                labelBatches, TrainingSetStatus.RUNNING, "claimed", 0, 0, attemptNumber, worker, output, failure,
                requestedAt, requestedBy, finishedAt, at);
    }

    public TrainingSetView progressed(String phaseNow, long doneNow, long totalNow, long at) {
        return new TrainingSetView(id, featureSet, version, outputDataset, outputSchema, sources, labels,
                labelBatches, status, phaseNow, doneNow, totalNow, attempt, workerId, output, failure, requestedAt,
                requestedBy, finishedAt, at);
    }

    public TrainingSetView released(long at) {
        return new TrainingSetView(id, featureSet, version, outputDataset, outputSchema, sources, labels,
                labelBatches, TrainingSetStatus.REQUESTED, "lease expired", 0, 0, attempt, null, output, failure,
                requestedAt, requestedBy, finishedAt, at);
    }

    public TrainingSetView completed(TrainingSetOutput made, Instant when, long at) {
        return new TrainingSetView(id, featureSet, version, outputDataset, outputSchema, sources, labels,
                labelBatches, TrainingSetStatus.COMPLETED, "completed", made.rows(), made.rows(), attempt, workerId,
                made, null, requestedAt, requestedBy, when, at);
    }

    public TrainingSetView failed(String reason, Instant when, long at) {
        return new TrainingSetView(id, featureSet, version, outputDataset, outputSchema, sources, labels,
                labelBatches, TrainingSetStatus.FAILED, "failed", done, total, attempt, workerId, output, reason,
                requestedAt, requestedBy, when, at);
    }
}
