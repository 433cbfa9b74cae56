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
 */
@ConfigurationProperties("annals.query.rebuild")
public record RebuildSettings(@DefaultValue("30s") Duration handover, @DefaultValue("30s") Duration staleAfter) {
}
