package io.annals.command.domain.pipeline;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Pipelines ({@code annals.pipelines.*}).
 *
 * @param clockInterval how often each command process's clock wakes the pipelines that have a tick or a wait due
 */
@ConfigurationProperties("annals.pipelines")
public record PipelineSettings(@DefaultValue("1s") Duration clockInterval) {
}
