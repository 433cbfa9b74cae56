package io.annals.command.api.pipeline;

import io.annals.command.api.model.ModelName;

/** The run's training made {@code version}; the champion it is measured against ({@code null}: none yet). */
public record PipelineCandidateTrained(PipelineName name, int run, ModelName model, int version, Integer champion) implements PipelineRunEvent {
}
