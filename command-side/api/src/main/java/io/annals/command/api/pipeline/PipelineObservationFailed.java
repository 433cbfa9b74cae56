package io.annals.command.api.pipeline;

/** A drift alert ({@code alert}, id#occurrence) was raised against the canary while it was watched: it is to go. */
public record PipelineObservationFailed(PipelineName name, int run, String alert) implements PipelineRunEvent {
}
