package io.annals.command.api.pipeline;

import java.time.Instant;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The clock's word that it is {@code now}: the pipeline runs for its schedule's latest tick since the last one it
 * considered, if one has fallen (sent by the pipeline clock of every command process; the pipeline decides each tick
 * once). Returns the run it started, or null.
 */
public record TickPipeline(@TargetAggregateIdentifier PipelineName name, Instant now) {

    public TickPipeline {
        Objects.requireNonNull(now, "a tick needs the time");
    }
}
