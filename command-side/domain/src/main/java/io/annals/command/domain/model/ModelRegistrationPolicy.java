package io.annals.command.domain.model;

import io.annals.command.api.common.DomainException;
import io.annals.command.api.model.RegisterModelVersion;
import io.annals.command.api.trainingrun.RecordModelRegistrationFailure;
import io.annals.command.api.trainingrun.TrainingRunCompleted;
import io.annals.command.domain.config.CommandRole;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * Every completed run registers the next version of its model. The actor and correlation id of the run's events
 * carry over to the registration through the correlation data providers. Registering a run twice is a no-op, so a
 * replay of this processor is harmless.
 *
 * <p>Nothing is skipped: when the model refuses the run for good (a rule of the model, such as one task per model)
 * the refusal is recorded on the run as {@code ModelRegistrationFailed}, visible in GraphQL and the audit log. Any
 * other failure (the event store unreachable, a timeout) is thrown, so the processor stops at this event and retries
 * it with backoff until it succeeds; the processor's status shows the error meanwhile.
 */
@Component
@Conditional(CommandRole.class)
@ProcessingGroup(ModelRegistrationPolicy.PROCESSING_GROUP)
class ModelRegistrationPolicy {

    static final String PROCESSING_GROUP = "model-registration";
    private static final Logger log = LoggerFactory.getLogger(ModelRegistrationPolicy.class);

    private final CommandGateway commands;

    ModelRegistrationPolicy(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(TrainingRunCompleted event) {
        try {
            commands.sendAndWait(new RegisterModelVersion(event.model(), event.runId(), event.task(),
                    event.features(), event.artifact(), event.metrics(), event.baseline()));
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CommandExecutionException && e.getCause() != null ? e.getCause() : e;
            if (!DomainException.isRefusal(cause)) {
                throw e;
            }
            log.info("Run {} will not become a version of model '{}': {}", event.runId(), event.model(),
                    cause.getMessage());
            commands.sendAndWait(new RecordModelRegistrationFailure(event.runId(), event.model(),
                    cause.getMessage()));
        }
    }
}
