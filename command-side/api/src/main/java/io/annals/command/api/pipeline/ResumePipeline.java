package io.annals.command.api.pipeline;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Starts runs again; triggers kept while paused start one run now. */
public record ResumePipeline(@TargetAggregateIdentifier PipelineName name) {
}
