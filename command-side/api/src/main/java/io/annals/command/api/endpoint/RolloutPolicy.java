package io.annals.command.api.endpoint;

import java.time.Instant;

/**
 * An endpoint's automatic rollback: whether a drift alert against the version deployed last rolls it back, from
 * which PSI and which severity (null: any alert), and since when (alerts raised before then never count).
 */
public record RolloutPolicy(boolean rollBackOnDrift, Double minPsi, Instant since,
                            io.annals.command.api.drift.DriftSeverity minSeverity) {

    public RolloutPolicy(boolean rollBackOnDrift, Double minPsi, Instant since) {
        this(rollBackOnDrift, minPsi, since, null);
    }
}
