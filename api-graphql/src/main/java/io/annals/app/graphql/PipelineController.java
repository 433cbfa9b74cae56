package io.annals.app.graphql;

import graphql.GraphQLContext;
import io.annals.app.graphql.Mutations.UserError;
import io.annals.app.graphql.TrainingController.HyperparametersInput;
import io.annals.app.records.CommandRecords;
import io.annals.app.security.AccessControl;
import io.annals.command.api.access.Permission;
import io.annals.app.security.Caller;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.featureset.FeatureSetName;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.common.Page;
import io.annals.command.api.common.PageRequest;
import io.annals.command.api.dataset.BatchImpact;
import io.annals.command.api.pipeline.FindPipelineRuns;
import io.annals.command.api.pipeline.GateRule;
import io.annals.command.api.pipeline.PipelineRunView;
import io.annals.command.api.pipeline.FindPipelines;
import io.annals.command.api.pipeline.PipelineView;
import io.annals.command.api.pipeline.PausePipeline;
import io.annals.command.api.pipeline.PipelineCause;
import io.annals.command.api.pipeline.PipelineDefinition;
import io.annals.command.api.pipeline.PipelineName;
import io.annals.command.api.pipeline.PipelineRunId;
import io.annals.command.api.pipeline.PipelineRunState;
import io.annals.command.api.pipeline.PipelineState;
import io.annals.command.api.pipeline.RegisterPipeline;
import io.annals.command.api.pipeline.ResumePipeline;
import io.annals.command.api.pipeline.TriggerPipeline;
import io.annals.command.api.trainingrun.Hyperparameters;
import io.annals.command.api.trainingrun.Metric;
import io.annals.command.api.trainingrun.RunInputView;
import io.annals.command.api.trainingrun.Task;
import io.annals.workers.port.CommandPort;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import reactor.core.publisher.Flux;
import org.springframework.stereotype.Controller;

/**
 * Pipelines: their definitions and runs. A pipeline and its runs are read from its own stream in the record (folded
 * by the same {@link PipelineState} the aggregate decides on), so a run shows every step the moment it is recorded.
 */
@Controller
class PipelineController {

    private static final int MAX_RUNS = 200;

    private final CommandPort commands;
    private final CommandRecords records;
    private final AccessControl access;
    private final Queries queries;

    PipelineController(CommandPort commands, CommandRecords records, AccessControl access, Queries queries) {
        this.commands = commands;
        this.records = records;
        this.access = access;
        this.queries = queries;
    }

    record TrainingSpecInput(Task task, List<String> features, String label, HyperparametersInput hyperparameters,
                             Long seed) {
    }

    record PipelineDatasetInput(String dataset, List<String> partitions) {
    }

    record HeldOutInput(String dataset, String partition) {
    }

    record GateRuleInput(String metric, GateRule.Better better, Double margin) {
    }

    record GateInput(HeldOutInput heldOut, List<GateRuleInput> rules) {
    }

    record ScheduleInput(String cron, String zone, PipelineDefinition.Schedule.Missed missed) {
    }

    record TriggerInput(Boolean onNewBatch, String quietPeriod, ScheduleInput schedule,
                        PipelineDefinition.WhenBusy whenBusy) {
    }

    record TriggerView(boolean onNewBatch, String quietPeriod, PipelineDefinition.Schedule schedule,
                       PipelineDefinition.WhenBusy whenBusy) {
    }

    record DeploymentInput(String alias, String endpoint, Integer canaryPercent, String observation) {
    }

    record RegisterPipelineInput(String name, String model, TrainingSpecInput trainingSpec,
                                 List<PipelineDatasetInput> inputs, FeatureSetInput featureSet, LabelsInput labels,
                                 TriggerInput trigger, GateInput gate, DeploymentInput deployment) {
    }

    record FeatureSetInput(String name, Integer version, String output) {
    }

    record LabelsInput(String dataset, List<String> partitions, List<String> entityKeys, String timestampColumn) {
    }

    /** A feature set as a definition names it. */
    record FeatureSetView(String name, Integer version, List<String> entityKeys, String timestampColumn,
                          String output) {
    }

    /** A training set a run asked for, and the batch it became once it is ready. */
    record TrainingSetView(PipelineRunState.Purpose purpose, String trainingSetId, RunInputView batch) {
    }

    record PausePipelineInput(String pipeline, String reason) {
    }

    record PipelineInput(String pipeline) {
    }

    record TriggerPipelineInput(String pipeline, String note) {
    }

    record PipelinePayload(PipelineState pipeline, Integer version, List<UserError> errors) {
    }

    record TriggerPipelinePayload(PipelineRunState run, boolean queued, List<UserError> errors) {
    }

    record RetryPipelineRunInput(String run) {
    }

    record RetryPipelineRunPayload(PipelineRunState run, Integer attempt, List<UserError> errors) {
    }

    @QueryMapping
    PipelineState pipeline(@Argument String name) {
        return state(PipelineName.of(name)).orElse(null);
    }

    @QueryMapping
    PipelineRunState pipelineRun(@Argument String id) {
        PipelineRunId run = PipelineRunId.parse(id);
        return state(run.pipeline()).flatMap(p -> p.run(run.number())).orElse(null);
    }

    @QueryMapping
    Page<PipelineView> pipelines(@Argument String model, @Argument Integer first, @Argument String after) {
        return queries.page(new FindPipelines(model, Queries.request(first, after)), PipelineView.class);
    }

    @SchemaMapping(typeName = "PipelineSummary", field = "pipeline")
    PipelineState pipeline(PipelineView summary) {
        return state(PipelineName.of(summary.name())).orElse(null);
    }

    @QueryMapping
    Page<PipelineRunView> pipelineRuns(@Argument String pipeline, @Argument PipelineRunView.Status status,
                                       @Argument Integer first, @Argument String after) {
        return queries.page(new FindPipelineRuns(pipeline, null, status, Queries.request(first, after)),
                PipelineRunView.class);
    }

    @SchemaMapping(typeName = "BatchImpact", field = "pipelineRuns")
    Page<PipelineRunView> pipelineRuns(BatchImpact impact, @Argument Integer first, @Argument String after) {
        return queries.page(new FindPipelineRuns(null, impact.batch().batchId(), null, Queries.request(first, after)),
                PipelineRunView.class);
    }

    @SubscriptionMapping(name = "pipelineRuns")
    Flux<PipelineRunView> pipelineRunsSubscription(@Argument String pipeline) {
        SubscriptionQueryResult<Page<PipelineRunView>, PipelineRunView> result = queries.gateway().subscriptionQuery(
                new FindPipelineRuns(pipeline, null, null, PageRequest.first(1)),
                PageResponseType.of(PipelineRunView.class), ResponseTypes.instanceOf(PipelineRunView.class));
        return Monotonic.perKey(result.updates(), PipelineRunView::id).doFinally(signal -> result.close());
    }

    @SchemaMapping(typeName = "PipelineRunSummary", field = "run")
    PipelineRunState run(PipelineRunView summary) {
        return pipelineRun(summary.id());
    }

    private Optional<PipelineState> state(PipelineName name) {
        List<CommandRecords.StoredEvent> events = records.stream(StreamId.of(name), null);
        if (events.isEmpty()) {
            return Optional.empty();
        }
        PipelineState state = new PipelineState();
        events.forEach(e -> state.apply(e.payload(), e.at(), e.by()));
        return Optional.of(state);
    }

    @MutationMapping
    PipelinePayload registerPipeline(@Argument RegisterPipelineInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("a referenced dataset does not exist", null, () -> {
            PipelineName name = PipelineName.of(input.name());
            PipelineDefinition definition = definition(input);
            requireStepsAllowed(Caller.of(context), definition);
            Integer version = commands.send(new RegisterPipeline(name, definition), actor, null);
            return new PipelinePayload(state(name).orElse(null), version, List.of());
        }, errors -> new PipelinePayload(null, null, errors));
    }

    /**
     * A pipeline's steps act as its own service principal, which may train, evaluate, move aliases and deploy: so
     * whoever defines one must hold those rights on its model and endpoint, or a pipeline would do for them what they
     * may not do themselves.
     */
    private void requireStepsAllowed(Caller caller, PipelineDefinition definition) {
        String model = "model:" + definition.model();
        access.require(caller, Permission.MODEL_TRAIN, model, "registerPipeline (its training step)");
        access.require(caller, Permission.MODEL_EVALUATE, model, "registerPipeline (its evaluation step)");
        access.require(caller, Permission.MODEL_WRITE, model, "registerPipeline (its alias)");
        if (definition.deployment().endpoint() != null) {
            access.require(caller, Permission.ENDPOINT_DEPLOY, "endpoint:" + definition.deployment().endpoint(),
                    "registerPipeline (its deployment)");
        }
        if (definition.featureSet() != null) {
            access.require(caller, Permission.DATASET_WRITE, "dataset:" + definition.featureSet().output(),
                    "registerPipeline (its training sets)");
        }
    }

    private static PipelineDefinition definition(RegisterPipelineInput input) {
        TrainingSpecInput spec = input.trainingSpec();
        Hyperparameters hyperparameters = spec.hyperparameters() == null ? Hyperparameters.DEFAULTS
                : spec.hyperparameters().toHyperparameters();
        List<PipelineDefinition.Input> inputs;
        PipelineDefinition.FeatureInput featureSet = null;
        if (input.featureSet() != null) {
            LabelsInput labels = input.labels();
            if (labels == null || input.inputs() != null) {
                throw new IllegalArgumentException("a pipeline on feature set '" + input.featureSet().name()
                        + "' reads its label rows from labels (dataset, partitions, entityKeys, timestampColumn), "
                        + "not from inputs");
            }
            inputs = List.of(new PipelineDefinition.Input(DatasetName.of(labels.dataset()), labels.partitions()));
            featureSet = new PipelineDefinition.FeatureInput(FeatureSetName.of(input.featureSet().name()),
                    input.featureSet().version(), labels.entityKeys(), labels.timestampColumn(),
                    DatasetName.of(input.featureSet().output()));
        } else {
            if (input.labels() != null) {
                throw new IllegalArgumentException("labels are the rows a feature set is computed for: give "
                        + "featureSet too, or train on inputs");
            }
            if (input.inputs() == null || input.inputs().isEmpty()) {
                throw new IllegalArgumentException("a pipeline needs at least one input dataset (inputs), or a "
                        + "feature set and its labels (featureSet, labels)");
            }
            inputs = input.inputs().stream().map(i -> new PipelineDefinition.Input(DatasetName.of(i.dataset()),
                    i.partitions())).toList();
        }
        GateInput gate = input.gate();
        PipelineDefinition.HeldOut heldOut = gate == null || gate.heldOut() == null ? null
                : new PipelineDefinition.HeldOut(DatasetName.of(gate.heldOut().dataset()), gate.heldOut().partition());
        List<GateRule> rules = gate == null || gate.rules() == null ? List.of() : gate.rules().stream()
                .map(r -> new GateRule(r.metric(), r.better(), r.margin() == null ? 0 : r.margin())).toList();
        DeploymentInput deployment = input.deployment();
        return new PipelineDefinition(ModelName.of(input.model()), new PipelineDefinition.Training(spec.task(),
                spec.features(), spec.label(), hyperparameters, spec.seed()), inputs, heldOut, rules,
                deployment == null ? null : new PipelineDefinition.Deployment(deployment.alias(),
                        deployment.endpoint() == null ? null : EndpointName.of(deployment.endpoint()),
                        deployment.canaryPercent(), duration("observation", deployment.observation())),
                input.trigger() != null && Boolean.TRUE.equals(input.trigger().onNewBatch()),
                input.trigger() == null || input.trigger().schedule() == null ? null : new PipelineDefinition.Schedule(
                        input.trigger().schedule().cron(), input.trigger().schedule().zone(),
                        input.trigger().schedule().missed()),
                input.trigger() == null ? null : duration("quietPeriod", input.trigger().quietPeriod()),
                input.trigger() == null ? null : input.trigger().whenBusy(), featureSet);
    }

    private static java.time.Duration duration(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return java.time.Duration.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(field + " '" + text + "' is not an ISO-8601 duration (such as PT10M)");
        }
    }

    @MutationMapping
    PipelinePayload pausePipeline(@Argument PausePipelineInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        PipelineName name = PipelineName.of(input.pipeline());
        return Mutations.run("pipeline '" + name + "' does not exist", null, () -> {
            commands.send(new PausePipeline(name, input.reason()), actor, null);
            return new PipelinePayload(state(name).orElse(null), null, List.of());
        }, errors -> new PipelinePayload(null, null, errors));
    }

    @MutationMapping
    PipelinePayload resumePipeline(@Argument PipelineInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        PipelineName name = PipelineName.of(input.pipeline());
        return Mutations.run("pipeline '" + name + "' does not exist", null, () -> {
            commands.send(new ResumePipeline(name), actor, null);
            return new PipelinePayload(state(name).orElse(null), null, List.of());
        }, errors -> new PipelinePayload(null, null, errors));
    }

    @MutationMapping
    TriggerPipelinePayload triggerPipeline(@Argument TriggerPipelineInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        PipelineName name = PipelineName.of(input.pipeline());
        return Mutations.run("pipeline '" + name + "' does not exist", null, () -> {
            Integer run = commands.send(new TriggerPipeline(name, PipelineCause.manual(input.note())), actor, null);
            PipelineRunState started = run == null ? null
                    : state(name).flatMap(p -> p.run(run)).orElse(null);
            return new TriggerPipelinePayload(started, run == null, List.of());
        }, errors -> new TriggerPipelinePayload(null, false, errors));
    }

    @MutationMapping
    RetryPipelineRunPayload retryPipelineRun(@Argument RetryPipelineRunInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("pipeline run '" + input.run() + "' does not exist", null, () -> {
            PipelineRunId id = PipelineRunId.parse(input.run());
            Integer attempt = commands.send(new io.annals.command.api.pipeline.RetryPipelineRun(id.pipeline(),
                    id.number()), actor, null);
            return new RetryPipelineRunPayload(pipelineRun(input.run()), attempt, List.of());
        }, errors -> new RetryPipelineRunPayload(null, null, errors));
    }

    @SchemaMapping(typeName = "Pipeline", field = "version")
    int version(PipelineState pipeline) {
        return pipeline.current().version();
    }

    @SchemaMapping(typeName = "Pipeline", field = "definition")
    PipelineDefinition definition(PipelineState pipeline) {
        return pipeline.current().definition();
    }

    @SchemaMapping(typeName = "Pipeline", field = "runs")
    List<PipelineRunState> runs(PipelineState pipeline, @Argument Integer first) {
        int limit = Math.max(0, Math.min(first == null ? 20 : first, MAX_RUNS));
        return pipeline.runs().stream().limit(limit).toList();
    }

    @SchemaMapping(typeName = "PipelineDefinition", field = "trainingSpec")
    PipelineDefinition.Training trainingSpec(PipelineDefinition definition) {
        return definition.training();
    }

    @SchemaMapping(typeName = "PipelineDefinition", field = "trigger")
    TriggerView trigger(PipelineDefinition definition) {
        return new TriggerView(definition.onNewBatch(), definition.quietPeriod() == null ? null
                : definition.quietPeriod().toString(), definition.schedule(), definition.whenBusy());
    }

    @SchemaMapping(typeName = "Pipeline", field = "nextTick")
    Instant nextTick(PipelineState pipeline) {
        PipelineDefinition.Schedule schedule = pipeline.current().definition().schedule();
        if (schedule == null || pipeline.lastTick() == null) {
            return null;
        }
        ZonedDateTime next = CronExpression.parse(schedule.cron())
                .next(pipeline.lastTick().atZone(ZoneId.of(schedule.zone())));
        return next == null ? null : next.toInstant();
    }

    /** The gate as it was given: its held-out partition and rules (null without an evaluation). */
    record GateView(PipelineDefinition.HeldOut heldOut, List<GateRule> rules) {
    }

    @SchemaMapping(typeName = "PipelineDefinition", field = "gate")
    GateView gate(PipelineDefinition definition) {
        return definition.evaluation() == null ? null : new GateView(definition.evaluation(), definition.gate());
    }

    @SchemaMapping(typeName = "PipelineDeployment", field = "observation")
    String observation(PipelineDefinition.Deployment deployment) {
        return deployment.observation() == null ? null : deployment.observation().toString();
    }

    @SchemaMapping(typeName = "PipelineCause", field = "dataset")
    String causeDataset(PipelineCause cause) {
        return cause.batch() == null ? null : cause.batch().dataset().value();
    }

    @SchemaMapping(typeName = "PipelineCause", field = "batchId")
    String causeBatch(PipelineCause cause) {
        return cause.batch() == null ? null : cause.batch().batchId().value();
    }

    @SchemaMapping(typeName = "PipelineRun", field = "status")
    String status(PipelineRunState run) {
        return run.underWay() ? "RUNNING" : run.outcome().name();
    }

    @SchemaMapping(typeName = "PipelineRun", field = "trainingRunId")
    String trainingRunId(PipelineRunState run) {
        return run.trainingRun().value();
    }

    @SchemaMapping(typeName = "PipelineRun", field = "batches")
    List<RunInputView> batches(PipelineRunState run) {
        return run.batches().stream().map(RunInputView::of).toList();
    }

    @SchemaMapping(typeName = "PipelineRun", field = "heldOut")
    RunInputView heldOut(PipelineRunState run) {
        return run.heldOut() == null ? null : RunInputView.of(run.heldOut());
    }

    @SchemaMapping(typeName = "PipelineDefinition", field = "featureSet")
    FeatureSetView featureSet(PipelineDefinition definition) {
        PipelineDefinition.FeatureInput features = definition.featureSet();
        return features == null ? null : new FeatureSetView(features.featureSet().value(), features.version(),
                features.entityKeys(), features.timestampColumn(), features.output().value());
    }

    @SchemaMapping(typeName = "PipelineRun", field = "trainingSets")
    List<TrainingSetView> trainingSets(PipelineRunState run) {
        if (run.featureSetVersion() == null) {
            return List.of();
        }
        List<PipelineRunState.Purpose> purposes = run.heldOut() == null ? List.of(PipelineRunState.Purpose.TRAINING)
                : List.of(PipelineRunState.Purpose.values());
        return purposes.stream().map(purpose -> {
            var ready = run.trainingSets().get(purpose);
            return ready == null ? new TrainingSetView(purpose, run.trainingSet(purpose).value(), null)
                    : new TrainingSetView(purpose, ready.id().value(), new RunInputView(
                            ready.output().dataset().value(), ready.output().batchId().value(),
                            ready.output().location(), ready.output().sha256(), ready.output().rows()));
        }).toList();
    }

    @SchemaMapping(typeName = "PipelineRun", field = "candidateMetrics")
    List<Metric> candidateMetrics(PipelineRunState run) {
        return run.candidateMetrics() == null ? null : Metric.list(run.candidateMetrics());
    }

    @SchemaMapping(typeName = "PipelineRun", field = "championMetrics")
    List<Metric> championMetrics(PipelineRunState run) {
        return run.championMetrics() == null ? null : Metric.list(run.championMetrics());
    }
}
