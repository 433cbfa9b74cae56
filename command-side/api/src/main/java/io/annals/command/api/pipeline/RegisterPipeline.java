package io.annals.command.api.pipeline;

import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A pipeline's definition: the first is version 1, a changed one the next version, the same one again nothing. */
public record RegisterPipeline(@TargetAggregateIdentifier PipelineName name, PipelineDefinition definition) {

    public RegisterPipeline {
        Objects.requireNonNull(name, "a pipeline needs a name");
        Objects.requireNonNull(definition, "a pipeline needs a definition");
    }
}
