package io.annals.command.domain.pipeline;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.endpoint.DeployModelVersion;
import io.annals.command.api.model.AssignModelAlias;
import io.annals.command.api.model.EvaluateModelVersion;
import io.annals.command.api.model.ModelEvaluationFailed;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionEvaluated;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.pipeline.FailPipelineRun;
import io.annals.command.api.pipeline.PipelineCandidateTrained;
import io.annals.command.api.pipeline.PipelineDefinition;
import io.annals.command.api.pipeline.PipelineGateDecided;
import io.annals.command.api.pipeline.PipelineName;
import io.annals.command.api.pipeline.PipelineRunId;
import io.annals.command.api.pipeline.PipelineRunStarted;
import io.annals.command.api.pipeline.PipelineRunState;
import io.annals.command.api.pipeline.PipelineRunState.Purpose;
import io.annals.command.api.pipeline.PipelineRunState.Role;
import io.annals.command.api.pipeline.PipelineTrainingSetReady;
import io.annals.command.api.pipeline.RecordPipelineTrainingSet;
import io.annals.command.api.trainingset.LabelSpec;
import io.annals.command.api.trainingset.MaterializeTrainingSet;
import io.annals.command.api.trainingset.TrainingSetFailed;
import io.annals.command.api.trainingset.TrainingSetMaterialized;
import io.annals.command.api.pipeline.PipelineRunState.Step;
import io.annals.command.api.pipeline.PipelineState;
import io.annals.command.api.pipeline.RecordPipelineCandidate;
import io.annals.command.api.pipeline.RecordPipelineEvaluation;
import io.annals.command.api.pipeline.RecordPipelinePromotion;
import io.annals.command.api.pipeline.PipelineCanaryDeployed;
import io.annals.command.api.pipeline.PipelineObservationFailed;
import io.annals.command.api.pipeline.PipelineObservationPassed;
import io.annals.command.api.pipeline.PipelineRunFinished;
import io.annals.command.api.pipeline.RecordPipelineCanary;
import io.annals.command.api.pipeline.RecordPipelineDriftAlert;
import io.annals.command.api.pipeline.RecordPipelineRollback;
import io.annals.command.api.drift.DriftAlertEscalated;
import io.annals.command.api.drift.DriftAlertRaised;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.endpoint.RollBackEndpoint;
import io.annals.infra.clients.SchemaLock;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.ModelRegistrationFailed;
import io.annals.command.api.trainingrun.RequestTrainingRun;
import io.annals.command.api.trainingrun.TrainingRunFailed;
import io.annals.command.domain.config.CommandRole;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * Carries each pipeline run through its steps: it asks for the training sets (on a feature set) and reports them, asks
 * for the training run, reports the candidate, asks for the evaluations and reports them, and on a passed gate moves
 * the alias and deploys — acting as {@code service:pipeline/<name>}, the least role that may do those things. The
 * Pipeline aggregate decides; the runner only acts on what the pipeline's state says now (read from its stream), so
 * an event delivered again acts once, and every request it makes has an id derived from the run, so asking twice is
 * asking once.
 *
 * <p>A step that is refused for good (a rule of the platform said no) fails the run with the reason, as an event a
 * user sees; anything else (a backend unreachable) is thrown, so the processor retries the event with backoff.
 */
@Component
@Conditional(CommandRole.class)
@ProcessingGroup(PipelineRunner.PROCESSING_GROUP)
class PipelineRunner {

    static final String PROCESSING_GROUP = "pipeline-runner";
    private static final Logger log = LoggerFactory.getLogger(PipelineRunner.class);

    private final CommandGateway commands;
    private final PipelineCatalog pipelines;
    private final JdbcTemplate jdbc;

    PipelineRunner(CommandGateway commands, PipelineCatalog pipelines, DataSource dataSource) {
        this.commands = commands;
        this.pipelines = pipelines;
        this.jdbc = new JdbcTemplate(dataSource);
        // the canaries being watched, by what a drift alert names: written and read in log order by this processor
        SchemaLock.inTransaction(dataSource, connection -> {
            try (java.sql.Statement create = connection.createStatement()) {
                create.execute("create table if not exists annals_pipeline_observations (endpoint varchar(64) not null, "
                        + "model varchar(64) not null, version integer not null, pipeline varchar(64) not null, "
                        + "run integer not null, primary key (endpoint, model, version, pipeline, run))");
            }
        });
    }

    /** The service principal a pipeline's steps act as. */
    static Actor actor(PipelineName pipeline) {
        return Actor.service("pipeline/" + pipeline.value());
    }

    @EventHandler
    void on(PipelineRunStarted event) {
        PipelineRunId id = new PipelineRunId(event.name(), event.run());
        if (event.featureSetVersion() != null) {
            materialize(id);
        } else {
            train(id);
        }
    }

    /** A failed run goes on from its failed step, as the event that began that step would have it. */
    @EventHandler
    void on(io.annals.command.api.pipeline.PipelineRunRetried event) {
        PipelineRunId id = new PipelineRunId(event.name(), event.run());
        log.info("Pipeline run {}: attempt {} from its {} step", id, event.attempt(), event.step());
        switch (event.step()) {
            case MATERIALIZE -> materialize(id);
            case TRAIN -> train(id);
            case EVALUATE -> evaluate(id);
            case DEPLOY -> deploy(id);
            case OBSERVE -> afterObservation(id);
            default -> {
            }
        }
    }

    /**
     * Asks for the run's training set (and the held-out one): feature set version pinned at the start, for the label
     * rows of the batches its input partitions pointed at then.
     */
    private void materialize(PipelineRunId id) {
        withRun(id, Step.MATERIALIZE, (state, run) -> {
            PipelineDefinition definition = definition(state, run);
            PipelineDefinition.FeatureInput features = definition.featureSet();
            boolean asked = act(id, "materialising its training set", () -> {
                materialize(run, Purpose.TRAINING, features, definition.inputs().get(0).dataset(),
                        run.batches().stream().map(b -> b.batch().batchId()).toList(), definition);
                if (run.heldOut() != null) {
                    materialize(run, Purpose.HELD_OUT, features, run.heldOut().batch().dataset(),
                            List.of(run.heldOut().batch().batchId()), definition);
                }
            });
            if (asked) {
                log.info("Pipeline run {} started: training set {} of feature set '{}' version {} for {} label "
                        + "batch(es)", id, run.trainingSet(Purpose.TRAINING), features.featureSet(),
                        run.featureSetVersion(), run.batches().size());
            }
        });
    }

    private void materialize(PipelineRunState run, Purpose purpose, PipelineDefinition.FeatureInput features,
                             io.annals.command.api.dataset.DatasetName labels,
                             List<io.annals.command.api.dataset.BatchId> batches, PipelineDefinition definition) {
        if (run.trainingSets().containsKey(purpose)) {
            return; // materialised in this attempt already
        }
        onceOnly(new MaterializeTrainingSet(run.trainingSet(purpose), features.featureSet(), run.featureSetVersion(),
                new LabelSpec(labels, batches, features.entityKeys(), features.timestampColumn(),
                        definition.training().label()), features.output()));
    }

    @EventHandler
    void on(TrainingSetMaterialized event) {
        withOwnTrainingSet(event.id(), (id, purpose) -> send(id, new RecordPipelineTrainingSet(id.pipeline(),
                id.number(), purpose, event.id(), event.output())));
    }

    @EventHandler
    void on(TrainingSetFailed event) {
        withOwnTrainingSet(event.id(), (id, purpose) -> fail(id, "training set " + event.id() + " failed: "
                + event.reason()));
    }

    /** Acts on a training set a run materialising now asked for in this attempt; any other is not its business. */
    private void withOwnTrainingSet(io.annals.command.api.trainingset.TrainingSetId set,
                                    java.util.function.BiConsumer<PipelineRunId, Purpose> action) {
        PipelineRunId.ofTrainingSet(set).ifPresent(id -> withRun(id, Step.MATERIALIZE, (state, run) ->
                Purpose.ofId(set.value()).filter(p -> run.trainingSet(p).equals(set))
                        .ifPresent(p -> action.accept(id, p))));
    }

    /** The run's training sets are all in: it trains on its own. */
    @EventHandler
    void on(PipelineTrainingSetReady event) {
        train(new PipelineRunId(event.name(), event.run()));
    }

    private void train(PipelineRunId id) {
        withRun(id, Step.TRAIN, (state, run) -> {
            PipelineDefinition.Training training = definition(state, run).training();
            PipelineTrainingSetReady trainingSet = run.trainingSets().get(Purpose.TRAINING);
            boolean asked = act(id, "training", () -> onceOnly(new RequestTrainingRun(run.trainingRun(),
                    definition(state, run).model(), training.task(),
                    trainingSet != null ? List.of() : run.batches().stream().map(BatchInput::batch).toList(),
                    training.features(), training.label(), training.hyperparameters(), run.seed(),
                    trainingSet == null ? null : trainingSet.id())));
            if (!asked) {
                return;
            }
            if (trainingSet != null) {
                log.info("Pipeline run {}: training run {} on training set {} ({} rows)", id, run.trainingRun(),
                        trainingSet.id(), trainingSet.output().rows());
            } else {
                log.info("Pipeline run {} started: training run {} on {} batch(es)", id, run.trainingRun(),
                        run.batches().size());
            }
        });
    }

    /** Sends a request that creates a stream: made already (an event delivered again) is done. */
    private void onceOnly(Object command) {
        try {
            commands.sendAndWait(command);
        } catch (CommandExecutionException e) {
            if (!(e.getCause() instanceof AggregateStreamCreationException)) {
                throw e;
            } // asked for already
        } catch (AggregateStreamCreationException e) {
            // asked for already
        }
    }

    // Results count only for the attempt that asked for them: a late answer to an earlier attempt changes nothing.

    @EventHandler
    void on(TrainingRunFailed event) {
        PipelineRunId.ofTrainingRun(event.runId()).ifPresent(id -> withRun(id, Step.TRAIN, (state, run) -> {
            if (run.trainingRun().equals(event.runId())) {
                fail(id, "training run " + event.runId() + " failed: " + event.reason());
            }
        }));
    }

    @EventHandler
    void on(ModelRegistrationFailed event) {
        PipelineRunId.ofTrainingRun(event.runId()).ifPresent(id -> withRun(id, Step.TRAIN, (state, run) -> {
            if (run.trainingRun().equals(event.runId())) {
                fail(id, "training run " + event.runId() + " did not become a version of model '" + event.model()
                        + "': " + event.reason());
            }
        }));
    }

    @EventHandler
    void on(ModelVersionRegistered event) {
        PipelineRunId.ofTrainingRun(event.runId()).ifPresent(id -> withRun(id, Step.TRAIN, (state, run) -> {
            if (run.trainingRun().equals(event.runId())) {
                send(id, new RecordPipelineCandidate(id.pipeline(), id.number(), event.version()));
            }
        }));
    }

    @EventHandler
    void on(PipelineCandidateTrained event) {
        evaluate(new PipelineRunId(event.name(), event.run()));
    }

    private void evaluate(PipelineRunId id) {
        withRun(id, Step.EVALUATE, (state, run) -> {
            if (run.evaluationBatch() == null) {
                return;
            }
            ModelName model = definition(state, run).model();
            act(id, "evaluation", () -> {
                evaluate(id, model, run, Role.CANDIDATE, run.candidate());
                if (run.champion() != null) {
                    evaluate(id, model, run, Role.CHAMPION, run.champion());
                }
            });
        });
    }

    private void evaluate(PipelineRunId id, ModelName model, PipelineRunState run, Role role, int version) {
        unlessDone(id, new EvaluateModelVersion(model, version, run.evaluation(role), run.evaluationBatch()));
    }

    @EventHandler
    void on(ModelVersionEvaluated event) {
        PipelineRunId.ofEvaluation(event.evaluationId()).ifPresent(id -> withRun(id, Step.EVALUATE, (state, run) -> {
            Role role = roleOf(event.evaluationId().value());
            if (role != null && run.evaluation(role).equals(event.evaluationId())) {
                send(id, new RecordPipelineEvaluation(id.pipeline(), id.number(), role, event.metrics()));
            }
        }));
    }

    @EventHandler
    void on(ModelEvaluationFailed event) {
        PipelineRunId.ofEvaluation(event.evaluationId()).ifPresent(id -> withRun(id, Step.EVALUATE, (state, run) -> {
            Role role = roleOf(event.evaluationId().value());
            if (role != null && run.evaluation(role).equals(event.evaluationId())) {
                fail(id, "evaluation " + event.evaluationId() + " of version " + event.version() + " failed: "
                        + event.reason());
            }
        }));
    }

    /**
     * A passed gate: the alias moves to the candidate and, with an endpoint, the candidate serves there — as a canary
     * of the definition's share when there is a champion to fall back on, otherwise at once.
     */
    @EventHandler
    void on(PipelineGateDecided event) {
        PipelineRunId id = new PipelineRunId(event.name(), event.run());
        if (!event.passed()) {
            log.info("Pipeline run {}: the gate refused version {}", id, event.candidate());
            return;
        }
        deploy(id);
    }

    private void deploy(PipelineRunId id) {
        withRun(id, Step.DEPLOY, (state, run) -> {
            PipelineDefinition definition = definition(state, run);
            PipelineDefinition.Deployment deployment = definition.deployment();
            boolean canary = deployment.endpoint() != null && deployment.canaryPercent() != null
                    && run.champion() != null;
            Integer[] revision = {null};
            boolean done = act(id, "deployment", () -> {
                moveAlias(id, definition, run.candidate());
                if (canary) {
                    revision[0] = send(id, new DeployModelVersion(deployment.endpoint(), definition.model(),
                            run.candidate(), null, deployment.canaryPercent(), "pipeline run " + id + ": version "
                            + run.candidate() + " passed the gate; a canary of " + deployment.canaryPercent() + "%"));
                } else if (deployment.endpoint() != null) {
                    revision[0] = deployFully(id, definition, run, "passed the gate");
                }
            });
            if (!done) {
                return;
            }
            if (canary) {
                send(id, new RecordPipelineCanary(id.pipeline(), id.number(), revision[0]));
                log.info("Pipeline run {}: version {} serves {}% of endpoint '{}' (revision {}), watched for {}", id,
                        run.candidate(), deployment.canaryPercent(), deployment.endpoint(), revision[0],
                        deployment.observation());
            } else {
                send(id, new RecordPipelinePromotion(id.pipeline(), id.number(), revision[0]));
                log.info("Pipeline run {} promoted model '{}' version {} (alias '{}'{})", id, definition.model(),
                        run.candidate(), deployment.alias(), deployment.endpoint() == null ? ""
                                : ", endpoint '" + deployment.endpoint() + "' revision " + revision[0]);
            }
        });
    }

    /** The canary is watched: a drift alert against its version reaches the run. */
    @EventHandler
    void on(PipelineCanaryDeployed event) {
        PipelineRunId id = new PipelineRunId(event.name(), event.run());
        pipelines.state(id.pipeline()).flatMap(s -> s.run(id.number()).map(r -> Map.entry(s, r)))
                .ifPresent(found -> {
                    PipelineDefinition definition = definition(found.getKey(), found.getValue());
                    jdbc.update("insert into annals_pipeline_observations (endpoint, model, version, pipeline, run) "
                                    + "values (?, ?, ?, ?, ?) on conflict do nothing",
                            definition.deployment().endpoint().value(), definition.model().value(),
                            found.getValue().candidate(), id.pipeline().value(), id.number());
                });
    }

    @EventHandler
    void on(DriftAlertRaised event) {
        watched(event.endpoint(), event.model(), event.version(), event.alertId() + "#" + event.occurrence());
    }

    @EventHandler
    void on(DriftAlertEscalated event) {
        watched(event.endpoint(), event.model(), event.version(), event.alertId() + "#" + event.occurrence());
    }

    private void watched(EndpointName endpoint, ModelName model, int version, String alert) {
        List<PipelineRunId> runs = jdbc.query("select pipeline, run from annals_pipeline_observations "
                        + "where endpoint = ? and model = ? and version = ?",
                (rs, row) -> new PipelineRunId(PipelineName.of(rs.getString(1)), rs.getInt(2)),
                endpoint.value(), model.value(), version);
        for (PipelineRunId id : runs) {
            asPipeline(id);
            commands.sendAndWait(new RecordPipelineDriftAlert(id.pipeline(), id.number(), alert));
            log.info("Pipeline run {}: drift alert {} against its canary", id, alert);
        }
    }

    @EventHandler
    void on(PipelineObservationPassed event) {
        promote(new PipelineRunId(event.name(), event.run()));
    }

    /** A run retried at its canary's watch does again what the watch's end asked for: promote, or roll back. */
    private void afterObservation(PipelineRunId id) {
        pipelines.state(id.pipeline()).flatMap(s -> s.run(id.number())).map(PipelineRunState::observationPassed)
                .ifPresent(passed -> {
                    if (passed) {
                        promote(id);
                    } else {
                        rollBack(id);
                    }
                });
    }

    private void promote(PipelineRunId id) {
        withRun(id, Step.OBSERVE, (state, run) -> {
            PipelineDefinition definition = definition(state, run);
            Integer[] revision = {null};
            if (act(id, "promotion", () -> revision[0] = deployFully(id, definition, run,
                    "served as a canary without an alert"))) {
                send(id, new RecordPipelinePromotion(id.pipeline(), id.number(), revision[0]));
                log.info("Pipeline run {} promoted model '{}' version {} after its observation (endpoint '{}' "
                        + "revision {})", id, definition.model(), run.candidate(), definition.deployment().endpoint(),
                        revision[0]);
            }
        });
    }

    /** A drift alert against the canary: the endpoint goes back to what it served at the gate, the alias too. */
    @EventHandler
    void on(PipelineObservationFailed event) {
        rollBack(new PipelineRunId(event.name(), event.run()));
    }

    private void rollBack(PipelineRunId id) {
        withRun(id, Step.OBSERVE, (state, run) -> {
            PipelineDefinition definition = definition(state, run);
            Integer[] revision = {null};
            if (act(id, "rollback", () -> {
                // null when it serves that already (the rollout guard may have been first)
                revision[0] = unlessDone(id, new RollBackEndpoint(definition.deployment().endpoint(), "pipeline run "
                        + id + ": drift alert " + run.alert() + " against the canary, version "
                        + run.candidate(), run.deployStartedAt()));
                if (run.champion() != null) {
                    moveAlias(id, definition, run.champion());
                }
            })) {
                send(id, new RecordPipelineRollback(id.pipeline(), id.number(), revision[0]));
                log.info("Pipeline run {} rolled back: drift alert {} against version {}", id, run.alert(),
                        run.candidate());
            }
        });
    }

    @EventHandler
    void on(PipelineRunFinished event) {
        jdbc.update("delete from annals_pipeline_observations where pipeline = ? and run = ?", event.name().value(),
                event.run());
    }

    private void moveAlias(PipelineRunId id, PipelineDefinition definition, int version) {
        unlessDone(id, new AssignModelAlias(definition.model(), definition.deployment().alias(), version));
    }

    /** The candidate serves every request of the endpoint; null when it does already. */
    private Integer deployFully(PipelineRunId id, PipelineDefinition definition, PipelineRunState run, String why) {
        return unlessDone(id, DeployModelVersion.version(definition.deployment().endpoint(), definition.model(),
                run.candidate(), "pipeline run " + id + ": version " + run.candidate() + " " + why));
    }

    /**
     * Sends a request the run may have made already (an event delivered again): {@code CONFLICT} means it is done
     * (the alias points there, the version serves, the evaluation exists), and the answer is null.
     */
    private <R> R unlessDone(PipelineRunId id, Object command) {
        try {
            return send(id, command);
        } catch (DomainException e) {
            if (e.code() != DomainException.Code.CONFLICT) {
                throw e;
            }
            return null;
        }
    }

    /** The role an evaluation id of a pipeline ends with, or null for an id no pipeline made. */
    private static Role roleOf(String evaluationId) {
        String last = evaluationId.substring(evaluationId.lastIndexOf('.') + 1).toUpperCase();
        return java.util.Arrays.stream(Role.values()).filter(r -> r.name().equals(last)).findFirst().orElse(null);
    }

    private interface RunAction {
        void act(PipelineState state, PipelineRunState run);
    }

    /** Runs {@code action} when the run is under way at {@code step} now; a stale or repeated event does nothing. */
    private void withRun(PipelineRunId id, Step step, RunAction action) {
        Optional<PipelineState> state = pipelines.state(id.pipeline());
        Optional<PipelineRunState> run = state.flatMap(s -> s.run(id.number()))
                .filter(r -> r.underWay() && r.step() == step);
        if (run.isPresent()) {
            asPipeline(id);
            action.act(state.get(), run.get());
        }
    }

    /**
     * Does a step's work; a refusal that asking again would not change fails the run with its reason. Returns whether
     * the work was done.
     */
    private boolean act(PipelineRunId id, String what, Runnable work) {
        try {
            work.run();
            return true;
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CommandExecutionException && e.getCause() != null ? e.getCause() : e;
            if (!DomainException.isRefusal(cause)) {
                throw e;
            }
            log.info("Pipeline run {}: {} refused: {}", id, what, cause.getMessage());
            fail(id, what + " refused: " + cause.getMessage());
            return false;
        }
    }

    private void fail(PipelineRunId id, String reason) {
        asPipeline(id);
        commands.sendAndWait(new FailPipelineRun(id.pipeline(), id.number(), reason));
    }

    /** What the runner sends from here on in this unit of work acts as the pipeline's own principal. */
    private static void asPipeline(PipelineRunId id) {
        CurrentUnitOfWork.ifStarted(unitOfWork -> unitOfWork.registerCorrelationDataProvider(
                message -> Map.of(MetadataKeys.ACTOR, actor(id.pipeline()).value())));
    }

    /** Sends a command and unwraps a domain refusal so the caller can tell an expected answer from a failure. */
    private <R> R send(PipelineRunId id, Object command) {
        try {
            return commands.sendAndWait(command);
        } catch (CommandExecutionException e) {
            if (e.getCause() instanceof DomainException domain) {
                throw domain;
            }
            throw e;
        }
    }

    private static PipelineDefinition definition(PipelineState state, PipelineRunState run) {
        return state.versions().get(run.version() - 1).definition();
    }
}
