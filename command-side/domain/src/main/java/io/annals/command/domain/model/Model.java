package io.annals.command.domain.model;

import io.annals.command.api.common.DomainException;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.annals.command.api.common.StreamId;
import io.annals.command.api.model.AssignModelAlias;
import io.annals.command.api.model.EvaluateModelVersion;
import io.annals.command.api.model.EvaluationId;
import io.annals.command.api.model.FailModelEvaluation;
import io.annals.command.api.model.ImportModelVersion;
import io.annals.command.api.model.ModelAliasAssigned;
import io.annals.command.api.model.ModelEvaluationFailed;
import io.annals.command.api.model.ModelEvaluationRequested;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionEvaluated;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.model.RecordModelEvaluation;
import io.annals.command.api.model.RegisterModelVersion;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.domain.config.StreamTargetResolver;
import io.annals.command.domain.dataset.DatasetCatalog;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/** A model's numbered versions, each from one completed run, and the aliases that point at them. */
@Aggregate(commandTargetResolver = StreamTargetResolver.BEAN)
public class Model {

    /** {@code <kind>:<name>}: each kind of entity has its own identifier space in the event store. */
    @AggregateIdentifier
    private String streamId;
    private ModelName name;
    private final TreeMap<Integer, ModelVersionRegistered> versions = new TreeMap<>();
    private final Map<TrainingRunId, Integer> versionByRun = new HashMap<>();
    private final Map<String, Integer> aliases = new HashMap<>();
    /** Evaluation id to its version, while no result is recorded; finished ones leave. */
    private final Map<EvaluationId, Integer> openEvaluations = new HashMap<>();
    private final Set<EvaluationId> finishedEvaluations = new HashSet<>();
    private final Map<EvaluationId, BatchRef> batches = new HashMap<>();

    protected Model() {
    }

    /** Returns the version number; a run that is already registered gets its existing version back. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public int handle(RegisterModelVersion command) {
        Integer existing = versionByRun.get(command.runId());
        if (existing != null) {
            return existing;
        }
        if (!versions.isEmpty() && versions.lastEntry().getValue().task() != command.task()) {
            throw new IllegalArgumentException("model '" + name.value() + "' holds "
                    + versions.lastEntry().getValue().task() + " versions; run " + command.runId() + " trained "
                    + command.task() + ": a model's versions must all do the same task");
        }
        int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        apply(new ModelVersionRegistered(command.model(), version, command.runId(), command.task(),
                command.features(), command.artifact(), command.metrics(), command.baseline()));
        return version;
    }

    /** Returns the new version's number; every import is a new version. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public int handle(ImportModelVersion command) {
        if (!versions.isEmpty() && versions.lastEntry().getValue().task() != command.task()) {
            throw new IllegalArgumentException("model '" + command.model() + "' holds "
                    + versions.lastEntry().getValue().task() + " versions; an imported " + command.task()
                    + " model cannot be one of them: a model's versions must all do the same task");
        }
        int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        apply(new ModelVersionRegistered(command.model(), version, null, command.task(),
                command.imported().featureNames(), command.artifact(), Map.of(), null, command.imported()));
        return version;
    }

    @CommandHandler
    public void handle(AssignModelAlias command) {
        if (!versions.containsKey(command.version())) {
            throw new IllegalArgumentException("model '" + name + "' has no version " + command.version());
        }
        Integer previous = aliases.get(command.alias());
        if (previous != null && previous == command.version()) {
            throw DomainException.conflict("alias '" + command.alias() + "' of model '" + name
                    + "' already points at version " + previous);
        }
        apply(new ModelAliasAssigned(name, command.alias(), command.version(), previous));
    }

    Optional<ModelVersionRegistered> version(int version) {
        return Optional.ofNullable(versions.get(version));
    }

    Optional<ModelVersionRegistered> latest() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
    }

    Optional<ModelVersionRegistered> aliased(String alias) {
        Integer version = aliases.get(alias);
        return version == null ? Optional.empty() : version(version);
    }

    /** Requests an evaluation of a version on a batch that exists; a worker computes it. */
    @CommandHandler
    public void handle(EvaluateModelVersion command, DatasetCatalog datasets) {
        ModelVersionRegistered version = versions.get(command.version());
        if (version == null) {
            throw new IllegalArgumentException("model '" + name + "' has no version " + command.version());
        }
        if (openEvaluations.containsKey(command.evaluationId())
                || finishedEvaluations.contains(command.evaluationId())) {
            throw DomainException.conflict("evaluation " + command.evaluationId() + " exists already");
        }
        BatchInput batch = datasets.batch(command.batch()).orElseThrow(() -> new IllegalArgumentException(
                "batch " + command.batch().batchId() + " does not exist in dataset '" + command.batch().dataset()
                        + "'"));
        apply(new ModelEvaluationRequested(name, command.version(), command.evaluationId(), batch,
                version.artifact(), version.task(), version.features(), version.imported()));
    }

    /** The first result of an evaluation is recorded; a later one (another worker's) changes nothing. */
    @CommandHandler
    public void handle(RecordModelEvaluation command) {
        Integer version = openEvaluation(command.evaluationId());
        if (version != null) {
            apply(new ModelVersionEvaluated(name, version, command.evaluationId(), batches.get(command.evaluationId()),
                    command.rows(), command.metrics(), command.baseline(), command.profile()));
        }
    }

    @CommandHandler
    public void handle(FailModelEvaluation command) {
        Integer version = openEvaluation(command.evaluationId());
        if (version != null) {
            apply(new ModelEvaluationFailed(name, version, command.evaluationId(), command.reason()));
        }
    }

    private Integer openEvaluation(EvaluationId id) {
        Integer version = openEvaluations.get(id);
        if (version == null && !finishedEvaluations.contains(id)) {
            throw DomainException.notFound("model '" + name + "' has no evaluation " + id);
        }
        return version;
    }

    @EventSourcingHandler
    void on(ModelEvaluationRequested event) {
        openEvaluations.put(event.evaluationId(), event.version());
        batches.put(event.evaluationId(), event.batch().batch());
    }

    @EventSourcingHandler
    void on(ModelVersionEvaluated event) {
        openEvaluations.remove(event.evaluationId());
        batches.remove(event.evaluationId());
        finishedEvaluations.add(event.evaluationId());
    }

    @EventSourcingHandler
    void on(ModelEvaluationFailed event) {
        openEvaluations.remove(event.evaluationId());
        batches.remove(event.evaluationId());
        finishedEvaluations.add(event.evaluationId());
    }

    @EventSourcingHandler
    void on(ModelVersionRegistered event) {
        name = event.model();
        streamId = StreamId.of(name).toString();
        versions.put(event.version(), event);
        if (event.runId() != null) {
            versionByRun.put(event.runId(), event.version());
        }
    }

    @EventSourcingHandler
    void on(ModelAliasAssigned event) {
        aliases.put(event.alias(), event.version());
    }
}
