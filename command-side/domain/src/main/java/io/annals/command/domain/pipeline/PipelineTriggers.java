package io.annals.command.domain.pipeline;

import io.annals.command.api.dataset.DatasetBatchIngested;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetPartitionRepointed;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.pipeline.PipelineCause;
import io.annals.command.api.pipeline.PipelineName;
import io.annals.command.api.pipeline.PipelineDefinition;
import io.annals.command.api.pipeline.PipelineRunQueued;
import io.annals.command.api.pipeline.PipelineRunStarted;
import io.annals.command.api.pipeline.PipelineScheduleTicked;
import io.annals.command.api.pipeline.PipelineVersionRegistered;
import io.annals.command.api.pipeline.TriggerPipeline;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.domain.config.CommandRole;
import io.annals.infra.clients.SchemaLock;
import java.sql.Statement;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.context.annotation.Conditional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A batch ingested into a partition, or a re-point of one, triggers every pipeline that trains on that partition
 * (with {@code onNewBatch}). It keeps which datasets each pipeline reads in a table beside the event store
 * ({@code annals_pipelines}), written from the pipelines' own events by this processor, so that it reads the
 * pipelines of a batch in log order: a pipeline registered before a batch is triggered by it, one registered after
 * is not. The trigger names the event that caused it, and the pipeline ignores an event it has seen, so a redelivery
 * triggers once. The trigger's actor is the actor of the batch or re-point. The same table keeps each scheduled
 * pipeline's next tick, which {@link PipelineClock} reads to know whom to wake.
 */
@Component
@Conditional(CommandRole.class)
@ProcessingGroup(PipelineTriggers.PROCESSING_GROUP)
class PipelineTriggers {

    static final String PROCESSING_GROUP = "pipeline-triggers";

    private final CommandGateway commands;
    private final JdbcTemplate jdbc;
    private final PipelineCatalog pipelines;

    PipelineTriggers(CommandGateway commands, DataSource dataSource, PipelineCatalog pipelines) {
        this.commands = commands;
        this.pipelines = pipelines;
        this.jdbc = new JdbcTemplate(dataSource);
        SchemaLock.inTransaction(dataSource, connection -> {
            try (Statement create = connection.createStatement()) {
                create.execute("create table if not exists annals_pipelines (name varchar(64) primary key, "
                        + "datasets varchar(8000) not null, cron varchar(200), zone varchar(64), next_tick timestamptz, "
                        + "wake_at timestamptz)");
                create.execute("create index if not exists annals_pipelines_next_tick on annals_pipelines (next_tick)");
            }
        });
    }

    /** A new schedule starts counting from the registration; an unchanged one keeps its next tick. */
    @EventHandler
    void on(PipelineVersionRegistered event, @Timestamp Instant at) {
        String datasets = event.definition().inputs().stream().map(i -> i.dataset().value())
                .collect(Collectors.joining(",", ",", ","));
        PipelineDefinition.Schedule schedule = event.definition().schedule();
        Instant next = schedule == null ? null : Schedules.next(schedule, at);
        jdbc.update("insert into annals_pipelines (name, datasets, cron, zone, next_tick) values (?, ?, ?, ?, ?) "
                        + "on conflict (name) do update set datasets = excluded.datasets, cron = excluded.cron, "
                        + "zone = excluded.zone, next_tick = case when annals_pipelines.cron is not distinct from "
                        + "excluded.cron and annals_pipelines.zone is not distinct from excluded.zone "
                        + "then annals_pipelines.next_tick else excluded.next_tick end",
                event.name().value(), datasets, schedule == null ? null : schedule.cron(),
                schedule == null ? null : schedule.zone(), next == null ? null : java.sql.Timestamp.from(next));
    }

    @EventHandler
    void on(PipelineScheduleTicked event) {
        jdbc.query("select cron, zone from annals_pipelines where name = ?", rs -> {
            if (rs.getString(1) != null) {
                Instant next = Schedules.next(new PipelineDefinition.Schedule(rs.getString(1), rs.getString(2),
                        null), event.tick());
                jdbc.update("update annals_pipelines set next_tick = ? where name = ?",
                        next == null ? null : java.sql.Timestamp.from(next), event.name().value());
            }
        }, event.name().value());
    }

    /**
     * After a change that may make the pipeline wait for time — kept batches in their quiet period, a canary under
     * observation — or stop waiting, the table takes the moment it waits for from the pipeline itself.
     */
    @EventHandler
    void on(PipelineRunQueued event) {
        refreshWake(event.name());
    }

    @EventHandler
    void on(PipelineRunStarted event) {
        refreshWake(event.name());
    }

    @EventHandler
    void on(io.annals.command.api.pipeline.PipelineCanaryDeployed event) {
        refreshWake(event.name());
    }

    @EventHandler
    void on(io.annals.command.api.pipeline.PipelineRunFinished event) {
        refreshWake(event.name());
    }

    @EventHandler
    void on(io.annals.command.api.pipeline.PipelineObservationPassed event) {
        refreshWake(event.name());
    }

    @EventHandler
    void on(io.annals.command.api.pipeline.PipelineRunRetried event) {
        refreshWake(event.name());
    }

    @EventHandler
    void on(io.annals.command.api.pipeline.PipelinePaused event) {
        refreshWake(event.name());
    }

    @EventHandler
    void on(io.annals.command.api.pipeline.PipelineResumed event) {
        refreshWake(event.name());
    }

    private void refreshWake(PipelineName name) {
        Instant wake = pipelines.state(name).map(io.annals.command.api.pipeline.PipelineState::nextWake).orElse(null);
        jdbc.update("update annals_pipelines set wake_at = ? where name = ?",
                wake == null ? null : java.sql.Timestamp.from(wake), name.value());
    }

    @EventHandler
    void on(DatasetBatchIngested event, EventMessage<?> message) {
        trigger(PipelineCause.Kind.NEW_BATCH, event.dataset(), event.partition(), event.batchId(), message);
    }

    @EventHandler
    void on(DatasetPartitionRepointed event, EventMessage<?> message) {
        trigger(PipelineCause.Kind.REPOINT, event.dataset(), event.partition(), event.batchId(), message);
    }

    private void trigger(PipelineCause.Kind kind, DatasetName dataset, String partition, BatchId batch,
                         EventMessage<?> message) {
        List<String> pipelines = jdbc.queryForList("select name from annals_pipelines where datasets like ? "
                + "order by name", String.class, "%," + dataset.value() + ",%");
        for (String pipeline : pipelines) {
            // the actor of the batch carries over through the correlation data providers
            commands.sendAndWait(new TriggerPipeline(PipelineName.of(pipeline), new PipelineCause(kind,
                    new BatchRef(dataset, batch), partition, null, message.getIdentifier())));
        }
    }
}
