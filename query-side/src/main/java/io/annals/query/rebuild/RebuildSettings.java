package io.annals.query.rebuild;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How query processes hand a projection over for a rebuild ({@code annals.query.rebuild.*}).
 *
 * @param handover   how long the process asked to rebuild waits for the others to let go of the projection's
 *                   segments before it gives up ({@code CONFLICT}, nothing reset)
 * @param staleAfter a rebuild request whose process has not renewed it for this long belongs to a process that
 *                   stopped; another query process takes the rebuild over
 * @param replayLanes     how many threads a rebuild's replay applies batches of events with, side by side (the
 *                        events of one document always in the same one, in log order); more lanes than cores keep
 *                        Elasticsearch busy while some lanes build their next batch
 * @param replayBatchSize how many events a replay's lane applies in one {@code _bulk} request
 */
@ConfigurationProperties("annals.query.rebuild")
public record RebuildSettings(@DefaultValue("30s") Duration handover, @DefaultValue("30s") Duration staleAfter,
                              @DefaultValue("4") int replayLanes, @DefaultValue("500") int replayBatchSize) {

    public RebuildSettings {
        if (replayLanes < 1 || replayLanes > 64) {
            throw new IllegalArgumentException("annals.query.rebuild.replay-lanes must be between 1 and 64, got "
                    + replayLanes);
        }
        if (replayBatchSize < 1 || replayBatchSize > 10_000) {
            throw new IllegalArgumentException("annals.query.rebuild.replay-batch-size must be between 1 and 10000, "
                    + "got " + replayBatchSize);
        }
    }
}
