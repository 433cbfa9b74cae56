package io.annals.app.graphql;

import graphql.GraphQLContext;
import io.annals.app.graphql.Mutations.UserError;
import io.annals.app.security.Caller;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.Page;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingrun.EpochView;
import io.annals.command.api.trainingrun.FindTrainingRun;
import io.annals.command.api.trainingrun.FindTrainingRuns;
import io.annals.command.api.trainingrun.FindTrainingRunsById;
import io.annals.command.api.trainingrun.Hyperparameters;
import io.annals.command.api.trainingrun.RequestTrainingRun;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.api.trainingrun.TrainingRunRequested;
import io.annals.command.api.trainingrun.TrainingRunView;
import io.annals.command.api.trainingset.TrainingSetId;
import io.annals.app.records.TrainingRunRecords;
import io.annals.workers.port.CommandPort;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Training runs: request one, list them, follow one epoch by epoch. */
@Controller
class TrainingController {

    private static final Logger log = LoggerFactory.getLogger(TrainingController.class);

    private final CommandPort commands;
    private final Queries queries;
    private final TrainingRunRecords records;

    TrainingController(CommandPort commands, Queries queries, TrainingRunRecords records) {
        this.commands = commands;
        this.queries = queries;
        this.records = records;
    }

    record BatchRefInput(String dataset, String batchId) {
    }

    record HyperparametersInput(Integer epochs, Double learningRate, Integer batchSize, List<Integer> hiddenUnits,
                                Double validationFraction) {
        Hyperparameters toHyperparameters() {
            Hyperparameters d = Hyperparameters.DEFAULTS;
            return new Hyperparameters(epochs == null ? d.epochs() : epochs,
                    learningRate == null ? d.learningRate() : learningRate,
                    batchSize == null ? d.batchSize() : batchSize,
                    hiddenUnits == null ? d.hiddenUnits() : hiddenUnits,
                    validationFraction == null ? d.validationFraction() : validationFraction);
        }
    }

    record RequestTrainingRunInput(String model, Task task, List<BatchRefInput> batches, String trainingSet,
                                   List<String> features, String label, HyperparametersInput hyperparameters,
                                   Integer seed) {
    }

    /** {@code run} is resolved from the read model when asked for. */
    record RequestTrainingRunPayload(String runId, List<UserError> errors) {
    }

    @QueryMapping
    Page<TrainingRunView> trainingRuns(@Argument String model, @Argument Integer first, @Argument String after) {
        return queries.page(new FindTrainingRuns(model == null ? null : ModelName.of(model),
                Queries.request(first, after)), TrainingRunView.class);
    }

    @QueryMapping
    TrainingRunView trainingRun(@Argument String id) {
        return run(TrainingRunId.of(id)).orElse(null);
    }

    private Optional<TrainingRunView> run(TrainingRunId id) {
        return queries.one(new FindTrainingRun(id), TrainingRunView.class);
    }

    /**
     * Lists, lineage and batch impact read runs without their epochs (most of a run's document); when a client asks
     * for them, the epochs of every such run in the answer are read in one request.
     */
    @BatchMapping(typeName = "TrainingRun", field = "epochs")
    Map<TrainingRunView, List<EpochView>> epochs(List<TrainingRunView> runs) {
        List<TrainingRunId> missing = runs.stream().filter(r -> r.epochs() == null)
                .map(r -> TrainingRunId.of(r.runId())).distinct().toList();
        Map<String, List<EpochView>> read = new HashMap<>();
        if (!missing.isEmpty()) {
            queries.gateway().query(new FindTrainingRunsById(missing),
                            ResponseTypes.multipleInstancesOf(TrainingRunView.class)).join()
                    .forEach(r -> read.put(r.runId(), r.epochs()));
        }
        Map<TrainingRunView, List<EpochView>> epochs = new LinkedHashMap<>();
        for (TrainingRunView run : runs) {
            epochs.put(run, run.epochs() != null ? run.epochs() : read.getOrDefault(run.runId(), List.of()));
        }
        return epochs;
    }

    @MutationMapping
    RequestTrainingRunPayload requestTrainingRun(@Argument RequestTrainingRunInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("a referenced dataset does not exist", null, () -> {
            TrainingRunId runId = TrainingRunId.random();
            List<BatchRef> batches = input.batches() == null ? List.of() : input.batches().stream()
                    .map(b -> new BatchRef(DatasetName.of(b.dataset()), BatchId.of(b.batchId()))).toList();
            Hyperparameters hp = input.hyperparameters() == null ? Hyperparameters.DEFAULTS
                    : input.hyperparameters().toHyperparameters();
            commands.send(new RequestTrainingRun(runId, ModelName.of(input.model()), input.task(), batches,
                    input.features(), input.label(), hp, input.seed() == null ? 42 : input.seed(),
                    input.trainingSet() == null ? null : TrainingSetId.of(input.trainingSet())), actor, null);
            return new RequestTrainingRunPayload(runId.value(), List.of());
        }, errors -> new RequestTrainingRunPayload(null, errors));
    }

    record RerunTrainingRunInput(String runId) {
    }

    @MutationMapping
    RequestTrainingRunPayload rerunTrainingRun(@Argument RerunTrainingRunInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("run " + input.runId() + " does not exist", null, () -> {
            TrainingRunId original = TrainingRunId.of(input.runId());
            TrainingRunRequested asked = records.request(original).orElseThrow(() ->
                    DomainException.notFound("run " + original + " does not exist"));
            TrainingRunId runId = TrainingRunId.random();
            TrainingSetId trainingSet = asked.trainingSet() == null ? null : asked.trainingSet().id();
            commands.send(new RequestTrainingRun(runId, asked.model(), asked.task(),
                    trainingSet == null ? asked.batches() : List.of(), asked.features(), asked.label(),
                    asked.hyperparameters(), asked.seed(), trainingSet, original), actor, null);
            return new RequestTrainingRunPayload(runId.value(), List.of());
        }, errors -> new RequestTrainingRunPayload(null, errors));
    }

    @SchemaMapping(typeName = "RequestTrainingRunPayload", field = "run")
    TrainingRunView requested(RequestTrainingRunPayload payload) {
        return payload.runId() == null ? null : ReadYourWrites.await("run " + payload.runId(),
                () -> run(TrainingRunId.of(payload.runId())), r -> true);
    }

    @SubscriptionMapping
    Flux<TrainingRunView> trainingProgress(@Argument String runId) {
        SubscriptionQueryResult<Optional<TrainingRunView>, TrainingRunView> result = queries.gateway()
                .subscriptionQuery(new FindTrainingRun(TrainingRunId.of(runId)),
                        ResponseTypes.optionalInstanceOf(TrainingRunView.class),
                        ResponseTypes.instanceOf(TrainingRunView.class));
        Flux<TrainingRunView> initial = result.initialResult()
                .onErrorResume(e -> {
                    // the run's updates still arrive; a subscriber only misses the state before it subscribed
                    log.warn("Run {}: its current state could not be read for a new subscriber: {}", runId,
                            e.toString());
                    return Mono.just(Optional.empty());
                })
                .flatMapMany(found -> found.map(Flux::just).orElse(Flux.empty()));
        return Monotonic.perKey(initial.concatWith(result.updates()), run -> runId)
                .takeUntil(run -> run.status().finished())
                .doFinally(signal -> result.close());
    }
}
