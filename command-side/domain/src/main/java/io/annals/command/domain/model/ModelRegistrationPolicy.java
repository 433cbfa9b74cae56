package io.annals.command.domain.model;

import io.annals.command.api.model.RegisterModelVersion;
import io.annals.command.api.trainingrun.TrainingRunCompleted;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Every completed run registers the next version of its model. The actor and correlation id of the run's events
 * carry over to the registration through the correlation data providers. Registering a run twice is a no-op, so a
 * replay of this processor is harmless.
 */
@Component
@ProcessingGroup(ModelRegistrationPolicy.PROCESSING_GROUP)
class ModelRegistrationPolicy {

    static final String PROCESSING_GROUP = "model-registration";

    private final CommandGateway commands;

    ModelRegistrationPolicy(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(TrainingRunCompleted event) {
        commands.sendAndWait(new RegisterModelVersion(event.model(), event.runId(), event.task(), event.features(),
                event.artifact(), event.metrics(), event.baseline()));
    }
}
