package io.annals.command.api.pipeline;

import java.time.Instant;

/**
 * The schedule's tick at {@code tick} was considered: it started (or queued) a run, or, with {@code skipped}, it fell
 * while no command process ran and the definition says to skip such ticks. {@code missed} ticks fell before it since
 * the last one considered; they are not run.
 */
public record PipelineScheduleTicked(PipelineName name, Instant tick, long missed, boolean skipped) {
}
