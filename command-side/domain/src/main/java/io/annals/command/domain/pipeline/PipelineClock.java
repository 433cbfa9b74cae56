package io.annals.command.domain.pipeline;

import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.pipeline.PipelineName;
import io.annals.command.api.pipeline.TickPipeline;
import io.annals.command.domain.config.CommandRole;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Conditional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Wakes pipelines: every {@code annals.pipelines.clock-interval} (1 s) it reads which pipelines have a tick due
 * ({@code annals_pipelines.next_tick}) or kept batches whose quiet period has passed ({@code wake_at}), and tells each
 * the time ({@code TickPipeline}, as
 * {@code service:pipeline/<name>}). Every command process runs one; the pipeline decides each tick once, so two
 * clocks waking it together start one run. A clock that was not running (the platform stopped) finds the ticks that
 * fell meanwhile due when it starts, and the pipeline runs the latest once, or skips it, as its schedule says.
 */
@Component
@Conditional(CommandRole.class)
@EnableConfigurationProperties(PipelineSettings.class)
public class PipelineClock implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PipelineClock.class);

    private final CommandGateway commands;
    private final JdbcTemplate jdbc;
    private final Duration interval;
    private ScheduledExecutorService executor;
    private volatile boolean failing;

    PipelineClock(CommandGateway commands, DataSource dataSource, PipelineTriggers tableOwner,
                  PipelineSettings settings) {
        this.commands = commands;
        this.jdbc = new JdbcTemplate(dataSource);
        this.interval = settings.clockInterval();
    }

    @Override
    public synchronized void start() {
        if (executor == null) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "annals-pipeline-clock");
                thread.setDaemon(true);
                return thread;
            });
            executor.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    /** Tells every pipeline with a tick due the time; a failure is logged once and tried again next time. */
    void tick() {
        Instant now = Instant.now();
        try {
            java.sql.Timestamp at = java.sql.Timestamp.from(now);
            List<String> due = jdbc.queryForList("select name from annals_pipelines where next_tick <= ? "
                    + "or wake_at <= ? order by name", String.class, at, at);
            for (String name : due) {
                wake(PipelineName.of(name), now);
            }
            if (failing) {
                log.info("Pipeline clock running again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Pipeline clock could not wake the pipelines due (tried again every {}): {}", interval,
                        e.toString());
                failing = true;
            }
        }
    }

    private void wake(PipelineName pipeline, Instant now) {
        try {
            Integer run = commands.sendAndWait(GenericCommandMessage.asCommandMessage(new TickPipeline(pipeline, now))
                    .andMetaData(Map.of(MetadataKeys.ACTOR, PipelineRunner.actor(pipeline).value())));
            if (run != null) {
                log.info("Pipeline {}: its schedule started run {}#{}", pipeline, pipeline, run);
            }
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof org.axonframework.modelling.command.ConcurrencyException
                    || e instanceof org.axonframework.modelling.command.ConcurrencyException) {
                log.debug("Pipeline {}: another process considered its tick at the same moment", pipeline);
            } else if (DomainException.isRefusal(cause)) {
                log.info("Pipeline {}: its tick was refused: {}", pipeline, cause.getMessage());
            } else {
                throw e;
            }
        }
    }
}
