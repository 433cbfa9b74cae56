package io.annals.command.api.model;

import io.annals.command.api.common.Actor;
import io.annals.command.api.trainingrun.Metric;
import java.time.Instant;
import java.util.List;

/**
 * One evaluation of a model version as the registry shows it.
 *
 * @param status REQUESTED, COMPLETED or FAILED
 */
public record EvaluationView(String evaluationId, String dataset, String batchId, String status, Long rows,
                             List<Metric> metrics, String failureReason, Instant requestedAt, Actor requestedBy,
                             Instant finishedAt) {
}
