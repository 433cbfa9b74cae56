package io.annals.command.domain.pipeline;

import io.annals.command.api.common.StreamId;
import io.annals.command.api.pipeline.PipelineName;
import io.annals.command.api.pipeline.PipelineState;
import java.util.Optional;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/** A pipeline's state read from its aggregate, so the runner acts on what the log says now, not on a projection. */
@Component
class PipelineCatalog {

    private final Repository<Pipeline> pipelines;

    PipelineCatalog(Repository<Pipeline> pipelines) {
        this.pipelines = pipelines;
    }

    Optional<PipelineState> state(PipelineName name) {
        try {
            return Optional.of(pipelines.load(StreamId.of(name).toString()).invoke(Pipeline::state));
        } catch (AggregateNotFoundException e) {
            return Optional.empty();
        }
    }
}
