package io.annals.command.api.endpoint;

import io.annals.command.api.common.Ids;
import io.annals.command.api.model.ModelName;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The rollout guard's request after a drift alert: the endpoint decides by its policy whether to roll back. The
 * {@code alert} ({@code <alert id>#<occurrence>}) is the cause; the same one never rolls an endpoint back twice.
 */
public record RollBackOnDriftAlert(@TargetAggregateIdentifier EndpointName endpoint, String alert, ModelName model,
                                   int version, double psi, Instant raisedAt,
                                   io.annals.command.api.drift.DriftSeverity severity) {

    public RollBackOnDriftAlert(EndpointName endpoint, String alert, ModelName model, int version, double psi,
                                Instant raisedAt) {
        this(endpoint, alert, model, version, psi, raisedAt, io.annals.command.api.drift.DriftSeverity.WARNING);
    }

    public RollBackOnDriftAlert {
        Ids.requireText("alert", alert);
    }
}
