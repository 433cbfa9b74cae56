package io.annals.command.domain.config;

import io.annals.command.api.common.StreamId;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.springframework.stereotype.Component;

/**
 * Routes a command to the stream of its target's kind: a command aimed at {@code ModelName("loans")} loads
 * {@code model:loans}, never the dataset of the same name. Axon keys streams by identifier alone, so without the
 * kind two entities named alike would share one stream.
 */
@Component(StreamTargetResolver.BEAN)
public final class StreamTargetResolver implements CommandTargetResolver {

    public static final String BEAN = "streamTargetResolver";

    private final CommandTargetResolver annotated = AnnotationCommandTargetResolver.builder().build();

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        VersionedAggregateIdentifier target = annotated.resolveTarget(command);
        return new VersionedAggregateIdentifier(StreamId.of(target.getIdentifierValue()).toString(),
                target.getVersion());
    }
}
