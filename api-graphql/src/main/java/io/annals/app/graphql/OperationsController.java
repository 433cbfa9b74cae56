package io.annals.app.graphql;

import graphql.GraphQLContext;
import io.annals.app.security.Caller;
import io.annals.app.graphql.Mutations.UserError;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.DomainException;
import io.annals.query.rebuild.ProjectionRebuilds;
import io.annals.query.rebuild.ProjectionRebuilds.ProcessorStatus;
import java.util.List;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/** Operating the platform: the status of every event processor, projection rebuilds. */
@Controller
class OperationsController {

    private static final Logger log = LoggerFactory.getLogger(OperationsController.class);

    private final ObjectProvider<ProjectionRebuilds> rebuilds;
    private final EventProcessingConfiguration processing;

    OperationsController(ObjectProvider<ProjectionRebuilds> rebuilds, EventProcessingConfiguration processing) {
        this.rebuilds = rebuilds;
        this.processing = processing;
    }

    record RebuildProjectionInput(String name) {
    }

    /** {@code projection} is the projection's status once the rebuild has started. */
    record RebuildProjectionPayload(ProcessorStatus projection, List<UserError> errors) {
    }

    @QueryMapping
    List<ProcessorStatus> projections() {
        ProjectionRebuilds available = rebuilds.getIfAvailable();
        return available == null ? List.of() : available.status();
    }

    /** Every event processor of this process: the publisher, the policies and the projections. */
    @QueryMapping
    List<ProcessorStatus> processors() {
        return processing.eventProcessors().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(e -> e.getValue() instanceof StreamingEventProcessor)
                .map(e -> ProjectionRebuilds.status(e.getKey(), (StreamingEventProcessor) e.getValue())).toList();
    }

    @MutationMapping
    RebuildProjectionPayload rebuildProjection(@Argument RebuildProjectionInput input, GraphQLContext context) {
        return Mutations.run("projection not found", null, () -> {
            Actor actor = Caller.require(context);
            ProjectionRebuilds available = rebuilds.getIfAvailable();
            if (available == null) {
                throw new DomainException(DomainException.Code.UNAVAILABLE,
                        "this process does not run the query role");
            }
            log.info("{} asked to rebuild projection {}", actor, input.name());
            available.rebuild(input.name());
            ProcessorStatus status = available.status().stream().filter(s -> s.name().equals(input.name()))
                    .findFirst().orElse(null);
            return new RebuildProjectionPayload(status, List.of());
        }, errors -> new RebuildProjectionPayload(null, errors));
    }
}
