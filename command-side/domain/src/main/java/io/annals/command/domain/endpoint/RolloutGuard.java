package io.annals.command.domain.endpoint;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.drift.DriftAlertEscalated;
import io.annals.command.api.drift.DriftAlertRaised;
import io.annals.command.api.endpoint.RollBackOnDriftAlert;
import io.annals.command.domain.config.CommandRole;
import java.time.Instant;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * The rollout guard: every drift alert raised (or escalated) is put to its endpoint, which rolls back when it opted in
 * ({@code configureRolloutPolicy}) and the alert names the version deployed last. It acts as
 * {@code service:rollout-guard}. Its tracking processor keeps its place in the log across restarts, and the
 * endpoint decides each alert once, so an alert delivered again never rolls back twice; a failure stops the
 * processor at the alert and is retried.
 */
@Component
@Conditional(CommandRole.class)
@ProcessingGroup(RolloutGuard.PROCESSING_GROUP)
class RolloutGuard {

    static final String PROCESSING_GROUP = "rollout-guard";
    static final Actor ACTOR = Actor.service("rollout-guard");
    private static final Logger log = LoggerFactory.getLogger(RolloutGuard.class);

    private final CommandGateway commands;

    RolloutGuard(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(DriftAlertRaised alert, @Timestamp Instant at) {
        decide(new RollBackOnDriftAlert(alert.endpoint(), alert.alertId() + "#" + alert.occurrence(), alert.model(),
                alert.version(), alert.psi(), at, alert.severity()));
    }

    /**
     * An open warning that turned critical is a new cause ({@code <alert>#<occurrence>/escalated}): a policy that
     * waits for critical alerts acts on it, and one that declined or acted on the warning decides once more.
     */
    @EventHandler
    void on(DriftAlertEscalated escalated, @Timestamp Instant at) {
        decide(new RollBackOnDriftAlert(escalated.endpoint(), escalated.alertId() + "#" + escalated.occurrence()
                + "/escalated", escalated.model(), escalated.version(), escalated.finding().psi(), at,
                escalated.finding().severity()));
    }

    private void decide(RollBackOnDriftAlert command) {
        // the command is the guard's own: its actor overrides the one it would inherit from the alert
        CurrentUnitOfWork.ifStarted(unitOfWork -> unitOfWork.registerCorrelationDataProvider(
                message -> Map.of(MetadataKeys.ACTOR, ACTOR.value())));
        Boolean rolledBack = commands.sendAndWait(command);
        if (Boolean.TRUE.equals(rolledBack)) {
            log.info("Endpoint {} rolled back automatically for drift alert {} (model '{}' version {})",
                    command.endpoint(), command.alert(), command.model(), command.version());
        }
    }
}
