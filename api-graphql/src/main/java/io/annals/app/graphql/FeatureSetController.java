package io.annals.app.graphql;

import graphql.GraphQLContext;
import io.annals.app.graphql.Mutations.UserError;
import io.annals.app.security.Caller;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.Page;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.featureset.Aggregation;
import io.annals.command.api.featureset.FeatureSetDefinition;
import io.annals.command.api.featureset.FeatureSetName;
import io.annals.command.api.featureset.FeatureSetVersionView;
import io.annals.command.api.featureset.FeatureSetView;
import io.annals.command.api.featureset.FeatureSpec;
import io.annals.command.api.featureset.FindFeatureSet;
import io.annals.command.api.featureset.FindFeatureSets;
import io.annals.command.api.featureset.RegisterFeatureSet;
import io.annals.command.api.model.Lineage;
import io.annals.command.api.trainingrun.RunInputView;
import io.annals.command.api.trainingrun.TrainingRunView;
import io.annals.command.api.trainingset.FindTrainingSet;
import io.annals.command.api.trainingset.LabelSpec;
import io.annals.command.api.trainingset.MaterializeTrainingSet;
import io.annals.command.api.trainingset.TrainingSetId;
import io.annals.command.api.trainingset.TrainingSetView;
import io.annals.workers.port.CommandPort;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/** Feature sets and their versions; training sets, materialised point in time. */
@Controller
class FeatureSetController {

    private final CommandPort commands;
    private final Queries queries;

    FeatureSetController(CommandPort commands, Queries queries) {
        this.commands = commands;
        this.queries = queries;
    }

    record FeatureInput(String name, String column, Aggregation aggregation, String window) {
    }

    record FeatureSetSourceInput(String dataset) {
    }

    record RegisterFeatureSetInput(String name, String description, String owner, FeatureSetSourceInput source,
                                   List<String> entityKeys, String timestampColumn, List<FeatureInput> features) {
    }

    /** {@code featureSet} is resolved from the read model when asked for. */
    record RegisterFeatureSetPayload(String name, Integer version, List<UserError> errors) {
    }

    record LabelsInput(String dataset, List<String> batchIds, List<String> entityKeys, String timestampColumn,
                       String labelColumn) {
    }

    record MaterializeTrainingSetInput(String featureSet, int version, LabelsInput labels, String name) {
    }

    /** {@code trainingSet} is resolved from the read model when asked for. */
    record MaterializeTrainingSetPayload(String trainingSetId, List<UserError> errors) {
    }

    /** A version as the schema shows it: its definition's fields beside who registered it and when. */
    record FeatureSetVersion(int version, String description, String owner, String source, List<String> entityKeys,
                             String timestampColumn, List<FeatureSpec> features, Instant registeredAt,
                             Actor registeredBy) {

        static FeatureSetVersion of(FeatureSetVersionView v) {
            FeatureSetDefinition d = v.definition();
            return new FeatureSetVersion(v.version(), d.description(), d.owner(), d.source().value(),
                    d.entityKeys(), d.timestampColumn(), d.features(), v.registeredAt(), v.registeredBy());
        }
    }

    record TrainingSetProgress(String phase, long done, long total) {
    }

    record TrainingSetOutput(String dataset, String batchId, String location, String sha256, long rows,
                             long sizeBytes) {
    }

    @QueryMapping
    Page<FeatureSetView> featureSets(@Argument Integer first, @Argument String after) {
        return queries.page(new FindFeatureSets(Queries.request(first, after)), FeatureSetView.class);
    }

    @QueryMapping
    FeatureSetView featureSet(@Argument String name, @Argument Instant asOf) {
        return queries.one(new FindFeatureSet(FeatureSetName.of(name), asOf), FeatureSetView.class).orElse(null);
    }

    @SchemaMapping(typeName = "FeatureSet", field = "latestVersion")
    int latestVersion(FeatureSetView featureSet) {
        return featureSet.latest().version();
    }

    @SchemaMapping(typeName = "FeatureSet", field = "versions")
    List<FeatureSetVersion> versions(FeatureSetView featureSet) {
        return featureSet.versions().stream().map(FeatureSetVersion::of).toList();
    }

    @SchemaMapping(typeName = "FeatureSet", field = "version")
    FeatureSetVersion version(FeatureSetView featureSet, @Argument int version) {
        return featureSet.versions().stream().filter(v -> v.version() == version).findFirst()
                .map(FeatureSetVersion::of).orElse(null);
    }

    @MutationMapping
    RegisterFeatureSetPayload registerFeatureSet(@Argument RegisterFeatureSetInput input, GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("feature set not found", null, () -> {
            FeatureSetName name = FeatureSetName.of(input.name());
            List<FeatureSpec> features = input.features().stream()
                    .map(f -> new FeatureSpec(f.name(), f.column(), f.aggregation(), f.window())).toList();
            FeatureSetDefinition definition = new FeatureSetDefinition(input.description(), input.owner(),
                    DatasetName.of(input.source().dataset()), input.entityKeys(), input.timestampColumn(), features);
            Integer version = commands.send(new RegisterFeatureSet(name, definition), actor, null);
            return new RegisterFeatureSetPayload(name.value(), version, List.of());
        }, errors -> new RegisterFeatureSetPayload(null, null, errors));
    }

    @SchemaMapping(typeName = "RegisterFeatureSetPayload", field = "featureSet")
    FeatureSetView registered(RegisterFeatureSetPayload payload) {
        return payload.name() == null ? null : ReadYourWrites.await("feature set '" + payload.name() + "'",
                () -> queries.one(new FindFeatureSet(FeatureSetName.of(payload.name()), null), FeatureSetView.class),
                f -> f.latest().version() >= payload.version());
    }

    @MutationMapping
    MaterializeTrainingSetPayload materializeTrainingSet(@Argument MaterializeTrainingSetInput input,
                                                         GraphQLContext context) {
        Actor actor = Caller.require(context);
        return Mutations.run("a referenced feature set or dataset does not exist", null, () -> {
            TrainingSetId id = TrainingSetId.random();
            LabelsInput l = input.labels();
            LabelSpec labels = new LabelSpec(DatasetName.of(l.dataset()), l.batchIds().stream().map(BatchId::of)
                    .toList(), l.entityKeys(), l.timestampColumn(), l.labelColumn());
            commands.send(new MaterializeTrainingSet(id, FeatureSetName.of(input.featureSet()), input.version(),
                    labels, DatasetName.of(input.name())), actor, null);
            return new MaterializeTrainingSetPayload(id.value(), List.of());
        }, errors -> new MaterializeTrainingSetPayload(null, errors));
    }

    @SchemaMapping(typeName = "MaterializeTrainingSetPayload", field = "trainingSet")
    TrainingSetView requested(MaterializeTrainingSetPayload payload) {
        return payload.trainingSetId() == null ? null : ReadYourWrites.await("training set "
                + payload.trainingSetId(), () -> trainingSet(TrainingSetId.of(payload.trainingSetId())), t -> true);
    }

    @QueryMapping
    TrainingSetView trainingSet(@Argument String id) {
        return trainingSet(TrainingSetId.of(id)).orElse(null);
    }

    private Optional<TrainingSetView> trainingSet(TrainingSetId id) {
        return queries.one(new FindTrainingSet(id), TrainingSetView.class);
    }

    @SchemaMapping(typeName = "TrainingSet", field = "trainingSetId")
    String trainingSetId(TrainingSetView set) {
        return set.id();
    }

    @SchemaMapping(typeName = "TrainingSet", field = "name")
    String name(TrainingSetView set) {
        return set.outputDataset();
    }

    @SchemaMapping(typeName = "TrainingSet", field = "failureReason")
    String failureReason(TrainingSetView set) {
        return set.failure();
    }

    @SchemaMapping(typeName = "TrainingSet", field = "progress")
    TrainingSetProgress progress(TrainingSetView set) {
        return new TrainingSetProgress(set.phase(), set.done(), set.total());
    }

    @SchemaMapping(typeName = "TrainingSet", field = "sources")
    List<RunInputView> sources(TrainingSetView set) {
        return set.sources().stream().map(RunInputView::of).toList();
    }

    @SchemaMapping(typeName = "TrainingSet", field = "labelBatches")
    List<RunInputView> labelBatches(TrainingSetView set) {
        return set.labelBatches().stream().map(RunInputView::of).toList();
    }

    @SchemaMapping(typeName = "TrainingSet", field = "output")
    TrainingSetOutput output(TrainingSetView set) {
        var o = set.output();
        return o == null ? null : new TrainingSetOutput(o.dataset().value(), o.batchId().value(), o.location(),
                o.sha256(), o.rows(), o.sizeBytes());
    }

    @SchemaMapping(typeName = "TrainingSet", field = "schema")
    List<ColumnSpec> schema(TrainingSetView set) {
        return set.outputSchema().columns();
    }

    @SchemaMapping(typeName = "TrainingRun", field = "trainingSet")
    TrainingSetView runTrainingSet(TrainingRunView run) {
        return run.trainingSet() == null ? null : trainingSet(run.trainingSet().id()).orElse(null);
    }

    @SchemaMapping(typeName = "TrainingRun", field = "featureSet")
    String runFeatureSet(TrainingRunView run) {
        return run.trainingSet() == null ? null : run.trainingSet().featureSet().value();
    }

    @SchemaMapping(typeName = "TrainingRun", field = "featureSetVersion")
    Integer runFeatureSetVersion(TrainingRunView run) {
        return run.trainingSet() == null ? null : run.trainingSet().version();
    }

    @SchemaMapping(typeName = "Lineage", field = "featureSetVersion")
    FeatureSetVersion lineageFeatureSetVersion(Lineage lineage) {
        return lineage.featureSetVersion() == null ? null : FeatureSetVersion.of(lineage.featureSetVersion());
    }

    @SchemaMapping(typeName = "TrainingSet", field = "featureSetVersion")
    FeatureSetVersion featureSetVersion(TrainingSetView set) {
        return queries.one(new FindFeatureSet(FeatureSetName.of(set.featureSet()), null), FeatureSetView.class)
                .flatMap(f -> f.versions().stream().filter(v -> v.version() == set.version()).findFirst())
                .map(FeatureSetVersion::of).orElse(null);
    }
}
