package io.annals.command.api.pipeline;

import io.annals.command.api.common.PageRequest;

/**
 * Pipeline runs, newest first: of one pipeline, or that touched one batch (trained on it, held it out, or were
 * triggered by it), in one status; each filter optional. Answers a {@code Page<PipelineRunView>}; as a subscription
 * query, every run as it starts and changes.
 */
public record FindPipelineRuns(String pipeline, String batchId, PipelineRunView.Status status, PageRequest page) {
}
