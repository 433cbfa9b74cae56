package io.annals.command.domain.pipeline;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.pipeline.FailPipelineRun;
import io.annals.command.api.pipeline.GateRule;
import io.annals.command.api.pipeline.PausePipeline;
import io.annals.command.api.pipeline.PipelineCandidateTrained;
import io.annals.command.api.pipeline.PipelineCause;
import io.annals.command.api.pipeline.PipelineDefinition;
import io.annals.command.api.pipeline.PipelineGateDecided;
import io.annals.command.api.pipeline.PipelineName;
import io.annals.command.api.pipeline.PipelinePaused;
import io.annals.command.api.pipeline.PipelineResumed;
import io.annals.command.api.pipeline.PipelineRunFinished;
import io.annals.command.api.pipeline.PipelineRunId;
import io.annals.command.api.pipeline.PipelineRunQueued;
import io.annals.command.api.pipeline.PipelineRunStarted;
import io.annals.command.api.pipeline.PipelineRunState;
import io.annals.command.api.pipeline.PipelineRunState.Outcome;
import io.annals.command.api.pipeline.PipelineRunState.Role;
import io.annals.command.api.pipeline.PipelineRunState.Step;
import io.annals.command.api.pipeline.PipelineState;
import io.annals.command.api.pipeline.PipelineVersionEvaluated;
import io.annals.command.api.pipeline.PipelineVersionRegistered;
import io.annals.command.api.pipeline.RecordPipelineCandidate;
import io.annals.command.api.pipeline.RecordPipelineEvaluation;
import io.annals.command.api.pipeline.RecordPipelinePromotion;
import io.annals.command.api.pipeline.RegisterPipeline;
import io.annals.command.api.pipeline.ResumePipeline;
import io.annals.command.api.pipeline.PipelineScheduleTicked;
import io.annals.command.api.pipeline.TickPipeline;
import io.annals.command.api.pipeline.RetryPipelineRun;
import io.annals.command.api.pipeline.PipelineRunRetried;
import io.annals.command.api.pipeline.PipelineCanaryDeployed;
import io.annals.command.api.pipeline.PipelineObservationFailed;
import io.annals.command.api.pipeline.PipelineObservationPassed;
import io.annals.command.api.pipeline.RecordPipelineCanary;
import io.annals.command.api.pipeline.RecordPipelineDriftAlert;
import io.annals.command.api.pipeline.RecordPipelineRollback;
import io.annals.command.api.pipeline.RecordPipelineTrainingSet;
import io.annals.command.api.pipeline.PipelineTrainingSetReady;
import io.annals.command.api.pipeline.TriggerPipeline;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.domain.config.StreamTargetResolver;
import io.annals.command.domain.model.ModelCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A pipeline: its versioned definition and its runs, at most one under way at a time. It decides what each run does
 * next from what the pipeline runner reports (the candidate trained, the evaluations, the promotion), and keeps
 * triggers that come while a run is under way (or while paused) for one next run. Every decision is an event on its
 * stream, so a run can be told step by step from the log.
 */
@Aggregate(commandTargetResolver = StreamTargetResolver.BEAN)
public class Pipeline {

    @AggregateIdentifier
    private String streamId;
    private final PipelineState state = new PipelineState();

    protected Pipeline() {
    }

    /** Returns the version in force: a new one when the definition changed, the current one when it did not. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public int handle(RegisterPipeline command, PipelineSources sources) {
        PipelineDefinition definition = command.definition();
        if (definition.schedule() != null) {
            Schedules.cron(definition.schedule());
        }
        sources.check(definition);
        if (streamId != null && state.current().definition().equals(definition)) {
            return state.current().version();
        }
        int version = streamId == null ? 1 : state.current().version() + 1;
        apply(new PipelineVersionRegistered(command.name(), version, definition));
        return version;
    }

    @CommandHandler
    public void handle(PausePipeline command) {
        if (!state.paused()) {
            apply(new PipelinePaused(command.name(), command.reason()));
        }
    }

    @CommandHandler
    public Integer handle(ResumePipeline command, PipelineSources sources) {
        if (!state.paused()) {
            return null;
        }
        apply(new PipelineResumed(command.name()));
        return startQueued(sources);
    }

    /** Returns the number of the run it started, or null when the cause was queued or had triggered already. */
    @CommandHandler
    public Integer handle(TriggerPipeline command, PipelineSources sources) {
        PipelineCause cause = command.cause();
        if (state.seen(cause)) {
            return null; // the same event delivered again
        }
        if (cause.batch() != null && !state.current().definition().triggeredBy(cause.batch().dataset(),
                cause.partition())) {
            return null; // the definition in force does not watch that partition (any more)
        }
        if (state.paused() && cause.kind() == PipelineCause.Kind.MANUAL) {
            throw DomainException.conflict("pipeline '" + command.name() + "' is paused (" + state.pauseReason()
                    + "): resume it to run it");
        }
        java.time.Duration quiet = state.current().definition().quietPeriod();
        if (quiet != null && cause.batch() != null) {
            // wait for the batches to stop coming; the clock wakes the pipeline when the quiet period has passed
            apply(new PipelineRunQueued(command.name(), cause, now().plus(quiet)));
            return null;
        }
        return startOrQueue(cause, sources);
    }

    /** The time of the event being made (Axon's clock, which a test fixture sets). */
    private static Instant now() {
        return org.axonframework.eventhandling.GenericEventMessage.clock.instant();
    }

    private Integer startOrQueue(PipelineCause cause, PipelineSources sources) {
        if (supersede(cause)) {
            return start(List.of(cause), sources);
        }
        if (state.paused() || state.active().isPresent()) {
            apply(new PipelineRunQueued(state.name(), cause));
            return null;
        }
        return start(List.of(cause), sources);
    }

    /**
     * Runs the schedule's latest tick since the last one considered, once: ticks that fell before it (while no
     * command process ran) are counted, not run; with {@code SKIP}, a tick more than {@link Schedules#LATE} old is
     * recorded as skipped instead. Two processes ticking at once both load this aggregate; the event store lets one
     * append, and the other's retry finds the tick considered.
     */
    @CommandHandler
    public Integer handle(TickPipeline command, PipelineSources sources) {
        state.active().filter(run -> run.observing() && !command.now().isBefore(run.observeUntil()))
                .ifPresent(run -> apply(new PipelineObservationPassed(state.name(), run.number())));
        Integer started = null;
        if (state.quietUntil() != null && !command.now().isBefore(state.quietUntil())) {
            started = startQueued(sources, command.now()); // batches that stopped coming
        }
        PipelineDefinition.Schedule schedule = state.current().definition().schedule();
        if (schedule == null || state.lastTick() == null) {
            return started;
        }
        Schedules.Due due = Schedules.due(schedule, state.lastTick(), command.now()).orElse(null);
        if (due == null) {
            return started;
        }
        boolean late = due.tick().plus(Schedules.LATE).isBefore(command.now());
        if (late && schedule.missed() == PipelineDefinition.Schedule.Missed.SKIP) {
            apply(new PipelineScheduleTicked(state.name(), due.tick(), due.missed(), true));
            return started;
        }
        apply(new PipelineScheduleTicked(state.name(), due.tick(), due.missed(), false));
        Integer ticked = startOrQueue(PipelineCause.tick(due.tick(), due.missed()), sources);
        return started != null ? started : ticked;
    }

    /**
     * Starts a run on the batches the input partitions point at now. A run that cannot start (an input partition
     * without a batch) is recorded as started and failed at once, so a trigger is never lost without a trace.
     */
    private int start(List<PipelineCause> causes, PipelineSources sources) {
        PipelineState.Version version = state.current();
        PipelineDefinition definition = version.definition();
        PipelineRunId run = new PipelineRunId(state.name(), state.lastRun() + 1);
        List<BatchInput> batches = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (PipelineDefinition.Input input : definition.inputs()) {
            Map<String, BatchInput> current = sources.datasets().pointedAt(input.dataset(), input.partitions());
            input.partitions().stream().filter(p -> !current.containsKey(p))
                    .forEach(p -> missing.add("partition '" + p + "' of dataset '" + input.dataset() + "'"));
            if (current.isEmpty() && input.partitions().isEmpty()) {
                missing.add("dataset '" + input.dataset() + "'");
            }
            batches.addAll(current.values());
        }
        BatchInput heldOut = null;
        if (definition.evaluation() != null) {
            PipelineDefinition.HeldOut evaluation = definition.evaluation();
            heldOut = sources.datasets().pointedAt(evaluation.dataset(), List.of(evaluation.partition()))
                    .get(evaluation.partition());
            if (heldOut == null) {
                missing.add("held-out partition '" + evaluation.partition() + "' of dataset '"
                        + evaluation.dataset() + "'");
            }
        }
        Integer featureSetVersion = null;
        if (definition.featureSet() != null) {
            PipelineDefinition.FeatureInput features = definition.featureSet();
            featureSetVersion = sources.featureSetVersion(definition).orElse(null);
            if (featureSetVersion == null) {
                missing.add(features.version() == null ? "feature set '" + features.featureSet() + "'"
                        : "version " + features.version() + " of feature set '" + features.featureSet() + "'");
                featureSetVersion = features.version() == null ? 0 : features.version();
            }
        }
        Long seed = definition.training().seed();
        apply(new PipelineRunStarted(state.name(), run.number(), version.version(), definition.model(), causes,
                batches, heldOut, seed != null ? seed : derivedSeed(run), run.trainingRun(), featureSetVersion));
        if (!missing.isEmpty()) {
            finish(run.number(), Outcome.FAILED, featureSetVersion == null ? Step.TRAIN : Step.MATERIALIZE,
                    "nothing to read in " + String.join(", ", missing), null, sources);
        }
        return run.number();
    }

    /** A seed of the run's own, the same every time the run is told (so a rerun of its training repeats it). */
    static long derivedSeed(PipelineRunId run) {
        return Integer.toUnsignedLong(run.value().hashCode());
    }

    /**
     * With {@code SUPERSEDE}, a new cause ends the run under way while it is still training or evaluating (its late
     * results are then ignored); returns whether it did.
     */
    private boolean supersede(PipelineCause cause) {
        PipelineRunState run = state.active().orElse(null);
        if (run == null || state.paused() || state.current().definition().whenBusy()
                != PipelineDefinition.WhenBusy.SUPERSEDE || run.step() != Step.TRAIN && run.step() != Step.EVALUATE) {
            return false;
        }
        apply(new PipelineRunFinished(state.name(), run.number(), Outcome.SUPERSEDED, run.step(),
                "superseded by a newer trigger (" + cause.kind().name().toLowerCase().replace('_', ' ') + ")", null));
        return true;
    }

    /** Starts one run for the kept causes, when the pipeline is free and their quiet period (if any) has passed. */
    private Integer startQueued(PipelineSources sources) {
        return startQueued(sources, now());
    }

    private Integer startQueued(PipelineSources sources, Instant now) {
        if (state.paused() || state.queued().isEmpty()
                || state.quietUntil() != null && now.isBefore(state.quietUntil())) {
            return null;
        }
        if (state.active().isPresent() && !supersede(state.queued().get(state.queued().size() - 1))) {
            return null;
        }
        return start(state.queued(), sources);
    }

    /** A training set of the run is ready; when every one it needs is, the run goes on to train. */
    @CommandHandler
    public void handle(RecordPipelineTrainingSet command) {
        PipelineRunState run = runAt(command.run(), Step.MATERIALIZE);
        if (run == null || !run.trainingSet(command.purpose()).equals(command.id())
                || run.trainingSets().containsKey(command.purpose())) {
            return; // stale (an earlier attempt's), repeated, or not this run's
        }
        apply(new PipelineTrainingSetReady(state.name(), run.number(), command.purpose(), command.id(),
                command.output()));
    }

    @CommandHandler
    public void handle(RecordPipelineCandidate command, ModelCatalog models, PipelineSources sources) {
        PipelineRunState run = runAt(command.run(), Step.TRAIN);
        if (run == null) {
            return;
        }
        PipelineDefinition definition = definitionOf(run);
        Integer champion = models.aliased(definition.model(), definition.deployment().alias())
                .map(ModelVersionRegistered::version).filter(v -> v != command.version()).orElse(null);
        apply(new PipelineCandidateTrained(state.name(), run.number(), definition.model(), command.version(),
                champion));
        if (run.heldOut() == null) {
            decide(run, definition, sources);
        }
    }

    @CommandHandler
    public void handle(RecordPipelineEvaluation command, PipelineSources sources) {
        PipelineRunState run = runAt(command.run(), Step.EVALUATE);
        if (run == null) {
            return;
        }
        boolean candidate = command.role() == Role.CANDIDATE;
        if (candidate ? run.candidateMetrics() != null : run.champion() == null || run.championMetrics() != null) {
            return; // recorded already, or not asked for
        }
        apply(new PipelineVersionEvaluated(state.name(), run.number(), command.role(),
                candidate ? run.candidate() : run.champion(), command.metrics()));
        if (run.evaluated()) {
            decide(run, definitionOf(run), sources);
        }
    }

    /** Applies the gate; a refused candidate ends the run (and a queued trigger starts the next). */
    private void decide(PipelineRunState run, PipelineDefinition definition, PipelineSources sources) {
        List<GateRule.Check> checks = definition.check(
                run.candidateMetrics() == null ? java.util.Map.of() : run.candidateMetrics(),
                run.champion() == null ? null : run.championMetrics());
        boolean passed = checks.stream().allMatch(GateRule.Check::passed);
        apply(new PipelineGateDecided(state.name(), run.number(), passed, run.candidate(), run.champion(), checks));
        if (!passed) {
            String why = checks.stream().filter(c -> !c.passed()).map(Pipeline::describe)
                    .collect(Collectors.joining("; "));
            finish(run.number(), Outcome.REJECTED, Step.GATE, "version " + run.candidate()
                    + " did not beat version " + run.champion() + ": " + why, null, sources);
        }
    }

    static String describe(GateRule.Check check) {
        String wanted = check.better() == GateRule.Better.HIGHER ? ">=" : "<=";
        String sign = check.better() == GateRule.Better.HIGHER ? " + " : " - ";
        return check.metric() + " " + number(check.candidate()) + " is not " + wanted + " "
                + number(check.champion()) + sign + number(check.margin());
    }

    /** Four significant digits: what a person compares (the event keeps the exact numbers). */
    private static String number(Double value) {
        return value == null || value.isNaN() || value.isInfinite() ? "missing"
                : java.math.BigDecimal.valueOf(value).round(new java.math.MathContext(4)).stripTrailingZeros()
                        .toPlainString();
    }

    /**
     * Goes on with a failed run from the step that failed: the pipeline's latest run, while nothing else runs. A run
     * the gate refused or that was rolled back did not fail: a new trigger is the way to try again. A run that failed
     * after its canary's watch ended (the promotion or the rollback was refused) does that again.
     */
    @CommandHandler
    public int handle(RetryPipelineRun command) {
        PipelineRunState run = state.run(command.run()).orElseThrow(() -> DomainException.notFound("pipeline '"
                + command.name() + "' has no run " + command.run()));
        if (run.outcome() != Outcome.FAILED) {
            throw DomainException.conflict("run " + run.id() + " " + (run.underWay() ? "is under way"
                    : "was " + run.outcome().name().toLowerCase().replace('_', ' ') + ", not failed")
                    + ": only a failed run can be retried");
        }
        if (run.number() != state.lastRun()) {
            throw DomainException.conflict("run " + run.id() + " is not the pipeline's latest (run "
                    + state.name() + "#" + state.lastRun() + " is): retrying it would promote older work");
        }
        if (run.batches().isEmpty() || definitionOf(run).evaluation() != null && run.heldOut() == null
                || run.featureSetVersion() != null && run.featureSetVersion() == 0) {
            throw DomainException.conflict("run " + run.id() + " had nothing to read when it started: trigger the "
                    + "pipeline again once its partitions have batches");
        }
        if (run.step() == Step.GATE || run.step() == Step.OBSERVE && run.observationPassed() == null) {
            throw DomainException.conflict("run " + run.id() + " failed at its " + run.step().name().toLowerCase()
                    + " step, which cannot be done again: trigger the pipeline for a new run");
        }
        int attempt = run.attempt() + 1;
        apply(new PipelineRunRetried(state.name(), run.number(), run.step(), attempt));
        return attempt;
    }

    /** Promoted: at once (no canary), or after a canary's observation passed. */
    @CommandHandler
    public void handle(RecordPipelinePromotion command, PipelineSources sources) {
        PipelineRunState run = state.run(command.run()).filter(PipelineRunState::underWay).orElse(null);
        if (run != null && (run.step() == Step.DEPLOY
                || run.step() == Step.OBSERVE && Boolean.TRUE.equals(run.observationPassed()))) {
            finish(command.run(), Outcome.PROMOTED, run.step(), null, command.revision(), sources);
        }
    }

    /** The canary serves: its observation starts now and lasts as the definition says. */
    @CommandHandler
    public void handle(RecordPipelineCanary command) {
        PipelineRunState run = runAt(command.run(), Step.DEPLOY);
        if (run == null) {
            return;
        }
        PipelineDefinition.Deployment deployment = definitionOf(run).deployment();
        apply(new PipelineCanaryDeployed(state.name(), run.number(), command.revision(), deployment.canaryPercent(),
                now().plus(deployment.observation())));
    }

    @CommandHandler
    public void handle(RecordPipelineDriftAlert command) {
        PipelineRunState run = state.run(command.run()).filter(PipelineRunState::observing).orElse(null);
        if (run != null) {
            apply(new PipelineObservationFailed(state.name(), run.number(), command.alert()));
        }
    }

    @CommandHandler
    public void handle(RecordPipelineRollback command, PipelineSources sources) {
        PipelineRunState run = runAt(command.run(), Step.OBSERVE);
        if (run != null && Boolean.FALSE.equals(run.observationPassed())) {
            finish(run.number(), Outcome.ROLLED_BACK, Step.OBSERVE, "drift alert " + run.alert() + " against "
                    + "version " + run.candidate() + " while it served as a canary: the endpoint and the alias "
                    + "are back on version " + run.champion(), command.revision(), sources);
        }
    }

    @CommandHandler
    public void handle(FailPipelineRun command, PipelineSources sources) {
        PipelineRunState run = state.run(command.run()).orElse(null);
        if (run != null && run.underWay()) {
            finish(run.number(), Outcome.FAILED, run.step(), command.reason(), null, sources);
        }
    }

    private void finish(int run, Outcome outcome, Step step, String reason, Integer revision,
                        PipelineSources sources) {
        apply(new PipelineRunFinished(state.name(), run, outcome, step, reason, revision));
        startQueued(sources);
    }

    /** The run, when it is under way at that step; null for a report that is stale or repeated. */
    private PipelineRunState runAt(int number, Step step) {
        return state.run(number).filter(r -> r.underWay() && r.step() == step).orElse(null);
    }

    private PipelineDefinition definitionOf(PipelineRunState run) {
        return state.versions().get(run.version() - 1).definition();
    }

    /** What the runner and the API read: the state as the stream tells it. */
    PipelineState state() {
        return state;
    }

    @EventSourcingHandler
    void on(Object event, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor) {
        if (event instanceof PipelineVersionRegistered registered) {
            streamId = StreamId.of(registered.name()).toString();
        }
        state.apply(event, at, actor == null ? null : Actor.of(actor));
    }
}
