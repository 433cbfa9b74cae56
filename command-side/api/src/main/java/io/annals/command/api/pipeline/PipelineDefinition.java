package io.annals.command.api.pipeline;

import io.annals.command.api.common.Ids;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.featureset.FeatureSetName;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.trainingrun.Hyperparameters;
import io.annals.command.api.trainingrun.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a pipeline does each time it runs: train {@code model} on the batches its input partitions point at then,
 * evaluate the candidate and the champion (the version {@code deployment.alias} points at) on the batch the held-out
 * partition points at, let the gate decide, and on a pass move the alias to the candidate and deploy it.
 *
 * @param inputs     the datasets and partitions to train on (no partitions: every partition of the dataset); with a
 *                   feature set, the label dataset and partitions whose rows it is computed for
 * @param featureSet null: the inputs' batches are trained on as they are; otherwise see {@link FeatureInput}
 * @param evaluation the held-out partition both versions are evaluated on; needed by a gate
 * @param gate       every rule must hold for the candidate to be promoted; none: any trained candidate is
 * @param onNewBatch whether a batch ingested into an input partition, or a re-point of one, triggers a run
 * @param schedule   when to run by the clock (null: never)
 * @param quietPeriod with {@code onNewBatch}: a batch starts a run only once no other batch of the inputs has come
 *                   for this long (several batches in a row start one run); null: at once
 */
public record PipelineDefinition(ModelName model, Training training, List<Input> inputs, HeldOut evaluation,
                                 List<GateRule> gate, Deployment deployment, boolean onNewBatch, Schedule schedule,
                                 java.time.Duration quietPeriod, WhenBusy whenBusy, FeatureInput featureSet) {

    /** Without a feature set: the inputs' batches are trained on as they are. */
    public PipelineDefinition(ModelName model, Training training, List<Input> inputs, HeldOut evaluation,
                              List<GateRule> gate, Deployment deployment, boolean onNewBatch, Schedule schedule,
                              java.time.Duration quietPeriod, WhenBusy whenBusy) {
        this(model, training, inputs, evaluation, gate, deployment, onNewBatch, schedule, quietPeriod, whenBusy, null);
    }

    /**
     * A pipeline that trains on a feature set: its one input is then the label dataset (and its partitions), and each
     * run first materialises a point-in-time-correct training set of feature set {@code featureSet} for the label rows
     * its partitions point at (and one for the held-out partition's rows, which both versions are evaluated on),
     * written as batches of {@code output}. The label rows' entity keys (matched by position to the feature set's)
     * and time are the columns {@code entityKeys} and {@code timestampColumn}; the label is the training's label.
     *
     * @param version the feature set version to compute (null: the latest when each run starts)
     * @param output  the dataset the training sets are written to (created on first use)
     */
    public record FeatureInput(FeatureSetName featureSet, Integer version, List<String> entityKeys,
                               String timestampColumn, DatasetName output) {

        public FeatureInput {
            Objects.requireNonNull(featureSet, "a feature set input needs the feature set");
            Objects.requireNonNull(output, "a feature set input needs the dataset its training sets are written to");
            if (version != null && version < 1) {
                throw new IllegalArgumentException("feature set version must be 1 or more, not " + version);
            }
            if (entityKeys == null || entityKeys.isEmpty()) {
                throw new IllegalArgumentException("the labels need at least one entity key column");
            }
            entityKeys = List.copyOf(entityKeys);
            Ids.requireText("the labels' timestamp column", timestampColumn);
        }
    }

    /**
     * What a trigger does while a run is under way: wait for it ({@code QUEUE}, the default; kept triggers start one
     * next run), or end it and start anew ({@code SUPERSEDE}, while it is still training or evaluating; a run that has
     * passed its gate always finishes).
     */
    public enum WhenBusy { QUEUE, SUPERSEDE }

    /** Queueing triggers while busy. */
    public PipelineDefinition(ModelName model, Training training, List<Input> inputs, HeldOut evaluation,
                              List<GateRule> gate, Deployment deployment, boolean onNewBatch, Schedule schedule,
                              java.time.Duration quietPeriod) {
        this(model, training, inputs, evaluation, gate, deployment, onNewBatch, schedule, quietPeriod, null, null);
    }

    /** Without a schedule. */
    public PipelineDefinition(ModelName model, Training training, List<Input> inputs, HeldOut evaluation,
                              List<GateRule> gate, Deployment deployment, boolean onNewBatch) {
        this(model, training, inputs, evaluation, gate, deployment, onNewBatch, null, null, null, null);
    }

    /** Without a quiet period. */
    public PipelineDefinition(ModelName model, Training training, List<Input> inputs, HeldOut evaluation,
                              List<GateRule> gate, Deployment deployment, boolean onNewBatch, Schedule schedule) {
        this(model, training, inputs, evaluation, gate, deployment, onNewBatch, schedule, null, null, null);
    }

    /**
     * A cron schedule (Spring's six fields, seconds first: {@code 0 0 2 * * *} is 02:00 every day) in a time zone. A
     * tick that falls while no command process runs is run once when one is back ({@code RUN_ONCE}, however many fell),
     * or recorded as skipped ({@code SKIP}); never twice, whatever the number of processes.
     */
    public record Schedule(String cron, String zone, Missed missed) {

        public enum Missed { RUN_ONCE, SKIP }

        public Schedule {
            Ids.requireText("cron expression", cron);
            zone = zone == null ? "UTC" : zone;
            try {
                java.time.ZoneId.of(zone);
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("time zone '" + zone + "' is not known: " + e.getMessage());
            }
            missed = missed == null ? Missed.RUN_ONCE : missed;
        }
    }

    /** How each run trains: as {@code requestTrainingRun} does; a null seed is derived from the run's id. */
    public record Training(Task task, List<String> features, String label, Hyperparameters hyperparameters,
                           Long seed) {

        public Training {
            Objects.requireNonNull(task, "training needs a task");
            if (features == null || features.isEmpty()) {
                throw new IllegalArgumentException("training needs at least one feature column");
            }
            Ids.requireText("label column", label);
            if (features.contains(label)) {
                throw new IllegalArgumentException("label column '" + label + "' cannot also be a feature");
            }
            features = List.copyOf(features);
            hyperparameters = hyperparameters == null ? Hyperparameters.DEFAULTS : hyperparameters;
        }
    }

    /** A dataset's partitions to train on; none named: all of them. */
    public record Input(DatasetName dataset, List<String> partitions) {

        public Input {
            Objects.requireNonNull(dataset, "an input needs a dataset");
            partitions = partitions == null ? List.of() : List.copyOf(partitions);
            partitions.forEach(p -> Ids.requireText("partition", p));
        }

        public boolean reads(DatasetName other, String partition) {
            return dataset.equals(other) && (partitions.isEmpty() || partitions.contains(partition));
        }
    }

    /** The partition whose current batch is held out for evaluation. */
    public record HeldOut(DatasetName dataset, String partition) {

        public HeldOut {
            Objects.requireNonNull(dataset, "the held-out batch needs a dataset");
            Ids.requireText("held-out partition", partition);
        }
    }

    /**
     * The alias that names the champion and moves to a promoted candidate ({@code champion} when not given), and the
     * endpoint a promoted candidate is deployed to (none: the alias only). With {@code canaryPercent}, a candidate
     * that has a champion to beat first serves that share of the endpoint's requests for {@code observation} (1 hour
     * when not given): without a drift alert against it meanwhile it then serves all of them, with one the endpoint
     * and the alias go back to the champion.
     */
    public record Deployment(String alias, EndpointName endpoint, Integer canaryPercent,
                             java.time.Duration observation) {

        public static final String DEFAULT_ALIAS = "champion";

        public Deployment(String alias, EndpointName endpoint) {
            this(alias, endpoint, null, null);
        }

        public Deployment {
            alias = alias == null ? DEFAULT_ALIAS : Ids.requireName("alias", alias);
            if (canaryPercent != null && (canaryPercent < 1 || canaryPercent > 99)) {
                throw new IllegalArgumentException("canaryPercent must be between 1 and 99, got " + canaryPercent);
            }
            if (canaryPercent != null && endpoint == null) {
                throw new IllegalArgumentException("a canary needs the endpoint it serves on");
            }
            if (observation != null && (observation.isNegative() || observation.isZero()
                    || observation.compareTo(java.time.Duration.ofDays(7)) > 0)) {
                throw new IllegalArgumentException("observation must be more than zero and at most 7 days, got "
                        + observation);
            }
            observation = canaryPercent == null ? null : observation == null ? java.time.Duration.ofHours(1)
                    : observation;
        }
    }

    public PipelineDefinition {
        Objects.requireNonNull(model, "a pipeline needs a model");
        Objects.requireNonNull(training, "a pipeline needs its training settings");
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("a pipeline needs at least one input dataset");
        }
        inputs = List.copyOf(inputs);
        Set<DatasetName> seen = new HashSet<>();
        for (Input input : inputs) {
            if (!seen.add(input.dataset())) {
                throw new IllegalArgumentException("dataset '" + input.dataset() + "' is named twice in inputs");
            }
        }
        gate = gate == null ? List.of() : List.copyOf(gate);
        if (!gate.isEmpty() && evaluation == null) {
            throw new IllegalArgumentException("a gate compares evaluations: give the held-out partition "
                    + "(evaluation) its rules are checked on");
        }
        if (evaluation != null && inputs.stream().anyMatch(i -> i.reads(evaluation.dataset(),
                evaluation.partition()))) {
            throw new IllegalArgumentException("held-out partition '" + evaluation.partition() + "' of dataset '"
                    + evaluation.dataset() + "' is also a training input: a held-out batch must not be trained on");
        }
        if (featureSet != null) {
            if (inputs.size() != 1) {
                throw new IllegalArgumentException("a pipeline on feature set '" + featureSet.featureSet()
                        + "' has one input, the label dataset (its partitions: the label rows to train on), not "
                        + inputs.size());
            }
            if (evaluation != null && !evaluation.dataset().equals(inputs.get(0).dataset())) {
                throw new IllegalArgumentException("the held-out partition of a pipeline on a feature set is a "
                        + "partition of its label dataset '" + inputs.get(0).dataset() + "', not of '"
                        + evaluation.dataset() + "'");
            }
            List<String> labelColumns = new ArrayList<>(featureSet.entityKeys());
            labelColumns.add(featureSet.timestampColumn());
            if (labelColumns.contains(training.label())) {
                throw new IllegalArgumentException("label column '" + training.label()
                        + "' cannot also be an entity key or the labels' timestamp column");
            }
            if (inputs.get(0).dataset().equals(featureSet.output())) {
                throw new IllegalArgumentException("the training sets' dataset '" + featureSet.output()
                        + "' cannot be the label dataset");
            }
        }
        deployment = deployment == null ? new Deployment(null, null) : deployment;
        whenBusy = whenBusy == null ? WhenBusy.QUEUE : whenBusy;
        if (quietPeriod != null && (quietPeriod.isNegative() || quietPeriod.isZero())) {
            quietPeriod = null;
        }
        if (quietPeriod != null && quietPeriod.compareTo(java.time.Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("a quiet period is at most 7 days, got " + quietPeriod);
        }
    }

    /** Whether a new batch or re-point of this partition starts a run. */
    public boolean triggeredBy(DatasetName dataset, String partition) {
        return onNewBatch && inputs.stream().anyMatch(i -> i.reads(dataset, partition));
    }

    /** The gate's verdict on a candidate's metrics against the champion's (null: there is no champion). */
    public List<GateRule.Check> check(Map<String, Double> candidate, Map<String, Double> champion) {
        return gate.stream().map(rule -> rule.check(candidate, champion)).toList();
    }
}
