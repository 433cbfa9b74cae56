package io.annals.app.graphql;

import graphql.GraphQLContext;
import io.annals.app.security.Caller;
import io.annals.query.elastic.View;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingrun.FindTrainingRun;
import io.annals.command.api.trainingrun.FindTrainingRuns;
import io.annals.command.api.trainingrun.Hyperparameters;
import io.annals.command.api.trainingrun.RequestTrainingRun;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.workers.port.CommandPort;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Controller
class TrainingController {

    private static final Logger log = LoggerFactory.getLogger(TrainingController.class);
    private static final Set<String> FINISHED = Set.of("COMPLETED", "FAILED");

    private final CommandPort commands;
    private final QueryGateway queries;

    TrainingController(CommandPort commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
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

    record RequestTrainingRunInput(String model, Task task, List<BatchRefInput> batches, List<String> features,
                                   String label, HyperparametersInput hyperparameters, Integer seed) {
    }

    @QueryMapping
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Map<String, Object>> trainingRuns(@Argument String model, @Argument Integer limit, GraphQLContext context) {
        Caller.require(context);
        return (List) queries.query(new FindTrainingRuns(model == null ? null : ModelName.of(model),
                limit == null ? 50 : limit), ResponseTypes.multipleInstancesOf(View.class)).join();
    }

    @QueryMapping
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, Object> trainingRun(@Argument String id, GraphQLContext context) {
        Caller.require(context);
        return (Map) queries.query(new FindTrainingRun(TrainingRunId.of(id)),
                ResponseTypes.optionalInstanceOf(View.class)).join().orElse(null);
    }

    @MutationMapping
    Map<String, Object> requestTrainingRun(@Argument RequestTrainingRunInput input, GraphQLContext context) {
        String actor = Caller.require(context);
        return Mutations.run("a referenced dataset does not exist", null, () -> {
            TrainingRunId runId = TrainingRunId.random();
            List<BatchRef> batches = input.batches().stream()
                    .map(b -> new BatchRef(DatasetName.of(b.dataset()), BatchId.of(b.batchId()))).toList();
            Hyperparameters hp = input.hyperparameters() == null ? Hyperparameters.DEFAULTS
                    : input.hyperparameters().toHyperparameters();
            commands.send(new RequestTrainingRun(runId, ModelName.of(input.model()), input.task(), batches,
                    input.features(), input.label(), hp, input.seed() == null ? 42 : input.seed()), actor, null);
            return Mutations.result("runId", runId.value());
        });
    }

    @SubscriptionMapping
    @SuppressWarnings({"unchecked", "rawtypes"})
    Flux<Map<String, Object>> trainingProgress(@Argument String runId, GraphQLContext context) {
        Caller.require(context);
        SubscriptionQueryResult<Optional<View>, View> result = queries.subscriptionQuery(
                new FindTrainingRun(TrainingRunId.of(runId)), ResponseTypes.optionalInstanceOf(View.class),
                ResponseTypes.instanceOf(View.class));
        Flux<Map<String, Object>> initial = result.initialResult()
                .onErrorResume(e -> {
                    // the run's updates still arrive; a subscriber only misses the state before it subscribed
                    log.warn("Run {}: its current state could not be read for a new subscriber: {}", runId,
                            e.toString());
                    return Mono.just(Optional.empty());
                })
                .flatMapMany(found -> found.map(run -> Flux.just((Map<String, Object>) run)).orElse(Flux.empty()));
        Flux<Map<String, Object>> updates = result.updates().map(run -> (Map<String, Object>) run);
        return Monotonic.perKey(initial.concatWith(updates), run -> runId)
                .takeUntil(run -> FINISHED.contains(String.valueOf(run.get("status"))))
                .doFinally(signal -> result.close());
    }
}
