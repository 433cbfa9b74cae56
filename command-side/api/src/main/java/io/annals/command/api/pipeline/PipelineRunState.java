package io.annals.command.api.pipeline;

import io.annals.command.api.common.Actor;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.TrainingRunId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One run of a pipeline as its events tell it: where it is, what each step did and when. Folded from the pipeline's
 * stream by the aggregate (to decide) and by the API (to show), so both read it the same way.
 */
public final class PipelineRunState {

    /** The steps of a run, in order; MATERIALIZE only for a pipeline on a feature set. */
    public enum Step { MATERIALIZE, TRAIN, EVALUATE, GATE, DEPLOY, OBSERVE }

    /** What a training set of a run is for: training, or the held-out rows both versions are evaluated on. */
    public enum Purpose {
        TRAINING("training"), HELD_OUT("held-out");

        private final String suffix;

        Purpose(String suffix) {
            this.suffix = suffix;
        }

        /** How the training set's id ends. */
        public String suffix() {
            return suffix;
        }

        /** The purpose a training set id of a pipeline ends with, if any. */
        public static java.util.Optional<Purpose> ofId(String id) {
            return java.util.Arrays.stream(values()).filter(p -> id.endsWith("." + p.suffix)).findFirst();
        }
    }

    public enum Role { CANDIDATE, CHAMPION }

    public enum Outcome { PROMOTED, REJECTED, FAILED, ROLLED_BACK, SUPERSEDED }

    public enum StepStatus { PENDING, RUNNING, SUCCEEDED, FAILED, SKIPPED }

    /** A step's status and times. */
    public record StepView(Step step, StepStatus status, Instant startedAt, Instant finishedAt) {
    }

    private final PipelineName pipeline;
    private final int number;
    private final int version;
    private final List<PipelineCause> causes;
    private final Actor startedBy;
    private final List<BatchInput> batches;
    private final BatchInput heldOut;
    private final long seed;
    private final Integer featureSetVersion;
    private final Map<Purpose, PipelineTrainingSetReady> trainingSets = new EnumMap<>(Purpose.class);
    private TrainingRunId trainingRun;
    private int attempt = 1;
    private final Instant startedAt;
    private final Map<Step, Instant> started = new EnumMap<>(Step.class);
    private final Map<Step, Instant> ended = new EnumMap<>(Step.class);
    private Step step = Step.TRAIN;
    private Integer candidate;
    private Integer champion;
    private Map<String, Double> candidateMetrics;
    private Map<String, Double> championMetrics;
    private PipelineGateDecided gate;
    private Outcome outcome;
    private String reason;
    private Integer revision;
    private Instant finishedAt;
    private Integer canaryRevision;
    private Integer canaryPercent;
    private Instant observeUntil;
    /** Whether the observation is over: passed (true), failed by a drift alert (false), or not yet (null). */
    private Boolean observationPassed;
    private String alert;

    PipelineRunState(PipelineRunStarted event, Instant at, Actor by) {
        pipeline = event.name();
        number = event.run();
        version = event.version();
        causes = List.copyOf(event.causes());
        startedBy = by;
        batches = List.copyOf(event.batches());
        heldOut = event.heldOut();
        seed = event.seed();
        trainingRun = event.trainingRun();
        featureSetVersion = event.featureSetVersion();
        startedAt = at;
        step = featureSetVersion == null ? Step.TRAIN : Step.MATERIALIZE;
        started.put(step, at);
    }

    void apply(Object event, Instant at) {
        if (event instanceof PipelineTrainingSetReady e) {
            trainingSets.put(e.purpose(), e);
            if (materialized()) {
                move(Step.TRAIN, at);
            }
        } else if (event instanceof PipelineCandidateTrained e) {
            candidate = e.version();
            champion = e.champion();
            move(Step.EVALUATE, at);
        } else if (event instanceof PipelineVersionEvaluated e) {
            if (e.role() == Role.CANDIDATE) {
                candidateMetrics = e.metrics();
            } else {
                championMetrics = e.metrics();
            }
        } else if (event instanceof PipelineGateDecided e) {
            gate = e;
            if (heldOut == null) {
                started.remove(Step.EVALUATE); // nothing to evaluate on: the step was skipped
            } else {
                ended.put(Step.EVALUATE, at);
            }
            step = Step.GATE;
            started.put(Step.GATE, at);
            if (e.passed()) {
                move(Step.DEPLOY, at);
            }
        } else if (event instanceof PipelineCanaryDeployed e) {
            canaryRevision = e.revision();
            canaryPercent = e.percent();
            observeUntil = e.observeUntil();
            move(Step.OBSERVE, at);
        } else if (event instanceof PipelineObservationPassed) {
            observationPassed = true;
        } else if (event instanceof PipelineObservationFailed e) {
            observationPassed = false;
            alert = e.alert();
        } else if (event instanceof PipelineRunRetried e) {
            attempt = e.attempt();
            outcome = null;
            reason = null;
            finishedAt = null;
            step = e.step();
            started.put(step, at);
            ended.remove(step);
            if (step == Step.MATERIALIZE || step == Step.TRAIN) {
                trainingRun = new PipelineRunId(pipeline, number).trainingRun(attempt);
            }
            if (step == Step.MATERIALIZE) {
                trainingSets.clear();
            } else if (step == Step.EVALUATE) {
                candidateMetrics = null;
                championMetrics = null;
            }
        } else if (event instanceof PipelineRunFinished e) {
            outcome = e.outcome();
            reason = e.reason();
            revision = e.revision();
            finishedAt = at;
            ended.putIfAbsent(step, at);
        }
    }

    private void move(Step next, Instant at) {
        ended.put(step, at);
        step = next;
        started.put(next, at);
    }

    /** Whether the run still has work to do. */
    public boolean underWay() {
        return outcome == null;
    }

    /** Whether the canary is being watched: deployed, its observation neither passed nor failed yet. */
    public boolean observing() {
        return underWay() && step == Step.OBSERVE && observationPassed == null;
    }

    /** Whether the training sets the run needs are all materialised: its training set, and the held-out one. */
    public boolean materialized() {
        return trainingSets.containsKey(Purpose.TRAINING)
                && (heldOut == null || trainingSets.containsKey(Purpose.HELD_OUT));
    }

    /** Whether the evaluations the gate needs are all in: the candidate's, and the champion's when there is one. */
    public boolean evaluated() {
        return candidateMetrics != null && (champion == null || championMetrics != null);
    }

    /** Each step with its status and times, in order. */
    public List<StepView> steps() {
        List<StepView> views = new ArrayList<>();
        for (Step s : Step.values()) {
            Instant from = started.get(s);
            Instant to = ended.get(s);
            StepStatus status;
            if (from == null) {
                status = outcome != null || (s == Step.EVALUATE && gate != null)
                        || s == Step.MATERIALIZE && featureSetVersion == null ? StepStatus.SKIPPED
                        : StepStatus.PENDING;
            } else if (s == step && (outcome == Outcome.FAILED || outcome == Outcome.ROLLED_BACK)
                    || s == Step.GATE && !gate.passed()) {
                status = StepStatus.FAILED;
            } else {
                status = to == null ? StepStatus.RUNNING : StepStatus.SUCCEEDED;
            }
            views.add(new StepView(s, status, from, to));
        }
        return views;
    }

    /** Two states are equal when the same events made them (what an aggregate test checks after a replay). */
    @Override
    public boolean equals(Object other) {
        return other instanceof PipelineRunState o && fields().equals(o.fields());
    }

    @Override
    public int hashCode() {
        return fields().hashCode();
    }

    private List<Object> fields() {
        return java.util.Arrays.asList(pipeline, number, version, causes, startedBy, batches, heldOut, seed,
                featureSetVersion, trainingSets,
                trainingRun, startedAt, started, ended, step, candidate, champion, candidateMetrics, championMetrics,
                gate, outcome, reason, revision, finishedAt, canaryRevision, canaryPercent, observeUntil,
                observationPassed, alert, attempt);
    }

    public String id() {
        return new PipelineRunId(pipeline, number).value();
    }

    public PipelineName pipeline() {
        return pipeline;
    }

    public int number() {
        return number;
    }

    /** The version of the pipeline's definition this run follows. */
    public int version() {
        return version;
    }

    public List<PipelineCause> causes() {
        return causes;
    }

    public Actor startedBy() {
        return startedBy;
    }

    public List<BatchInput> batches() {
        return batches;
    }

    public BatchInput heldOut() {
        return heldOut;
    }

    public long seed() {
        return seed;
    }

    /** With a feature set, the version the run's training sets compute; null otherwise. */
    public Integer featureSetVersion() {
        return featureSetVersion;
    }

    /** The training set of this attempt for a purpose (what it is asked for as). */
    public io.annals.command.api.trainingset.TrainingSetId trainingSet(Purpose purpose) {
        return new PipelineRunId(pipeline, number).trainingSet(purpose, attempt);
    }

    /** The training sets materialised for the run (in this attempt), by purpose. */
    public Map<Purpose, PipelineTrainingSetReady> trainingSets() {
        return Map.copyOf(trainingSets);
    }

    /**
     * The batch both versions are evaluated on: the held-out partition's batch, or with a feature set the training
     * set computed for its rows; null when there is none (yet).
     */
    public io.annals.command.api.trainingrun.BatchRef evaluationBatch() {
        if (featureSetVersion == null) {
            return heldOut == null ? null : heldOut.batch();
        }
        PipelineTrainingSetReady set = trainingSets.get(Purpose.HELD_OUT);
        return set == null ? null : new io.annals.command.api.trainingrun.BatchRef(set.output().dataset(),
                set.output().batchId());
    }

    /** The training run of the latest attempt at training. */
    public TrainingRunId trainingRun() {
        return trainingRun;
    }

    /** 1, then one more each time the run is retried from a failed step. */
    public int attempt() {
        return attempt;
    }

    /** The evaluation of the candidate or the champion in this attempt. */
    public io.annals.command.api.model.EvaluationId evaluation(Role role) {
        return new PipelineRunId(pipeline, number).evaluation(role, attempt);
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Step step() {
        return step;
    }

    public Integer candidate() {
        return candidate;
    }

    public Integer champion() {
        return champion;
    }

    public Map<String, Double> candidateMetrics() {
        return candidateMetrics;
    }

    public Map<String, Double> championMetrics() {
        return championMetrics;
    }

    /** The gate's decision, once made. */
    public PipelineGateDecided gate() {
        return gate;
    }

    public Outcome outcome() {
        return outcome;
    }

    public String reason() {
        return reason;
    }

    public Integer revision() {
        return revision;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    /** When the deploy step began (the gate's decision): what was live then is what a rollback restores. */
    public Instant deployStartedAt() {
        return started.get(Step.DEPLOY);
    }

    public Integer canaryRevision() {
        return canaryRevision;
    }

    public Integer canaryPercent() {
        return canaryPercent;
    }

    public Instant observeUntil() {
        return observeUntil;
    }

    public Boolean observationPassed() {
        return observationPassed;
    }

    /** The drift alert that failed the observation. */
    public String alert() {
        return alert;
    }
}
