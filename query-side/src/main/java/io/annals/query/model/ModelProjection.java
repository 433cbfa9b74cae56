package io.annals.query.model;

import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.model.FindModel;
import io.annals.command.api.model.FindModels;
import io.annals.command.api.model.ModelAliasAssigned;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Positions;
import io.annals.query.elastic.View;
import io.annals.query.elastic.Views;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;

/** The registry: one document per model (aliases) and one per model version. */
@ProcessingGroup(ModelProjection.PROCESSING_GROUP)
public class ModelProjection {

    public static final String PROCESSING_GROUP = "model-projection";
    public static final String MODELS = "annals-models-v1";
    public static final String VERSIONS = "annals-model-versions-v1";
    private static final String MODEL_MAPPING = """
            {"name":{"type":"keyword"},"createdAt":{"type":"date"},"updatedAt":{"type":"date"}}""";
    private static final String VERSION_MAPPING = """
            {"model":{"type":"keyword"},"version":{"type":"integer"},"runId":{"type":"keyword"},
             "registeredAt":{"type":"date"}}""";

    private final Documents documents;

    public ModelProjection(Documents documents) {
        this.documents = documents;
        documents.declare(MODELS, MODEL_MAPPING);
        documents.declare(VERSIONS, VERSION_MAPPING);
    }

    static String versionId(String model, int version) {
        return model + "#" + version;
    }

    @EventHandler
    void on(ModelVersionRegistered e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        documents.ensureIndex(MODELS);
        documents.ensureIndex(VERSIONS);
        long position = Positions.of(token);
        documents.apply(VERSIONS, versionId(e.model().value(), e.version()), position, LinkedHashMap::new, v -> {
            v.put("model", e.model().value());
            v.put("version", e.version());
            v.put("runId", e.runId().value());
            v.put("task", e.task().name());
            v.put("features", e.features());
            v.put("artifact", e.artifact());
            v.put("metrics", Views.metricList(e.metrics()));
            v.put("baseline", e.baseline());
            v.put("aliases", List.of());
            v.put("registeredAt", at.toString());
            v.put("registeredBy", actor);
        });
        documents.apply(MODELS, e.model().value(), position, () -> Map.of("name", e.model().value(),
                "aliases", List.of(), "createdAt", at.toString()), model -> {
                    model.put("latestVersion", e.version());
                    model.put("updatedAt", at.toString());
                });
    }

    @EventHandler
    void on(ModelAliasAssigned e, @Timestamp Instant at, TrackingToken token) {
        String name = e.model().value();
        long position = Positions.of(token);
        documents.apply(MODELS, name, position, null, model -> {
            Views.upsertInList(model, "aliases", "alias", Map.of("alias", e.alias(), "version", e.version()));
            model.put("updatedAt", at.toString());
        });
        if (e.previousVersion() != null) {
            changeAliases(name, e.previousVersion(), e.alias(), false, position);
        }
        changeAliases(name, e.version(), e.alias(), true, position);
    }

    @SuppressWarnings("unchecked")
    private void changeAliases(String model, int version, String alias, boolean add, long position) {
        documents.apply(VERSIONS, versionId(model, version), position, null, v -> {
            List<String> aliases = new ArrayList<>((List<String>) v.getOrDefault("aliases", List.of()));
            aliases.remove(alias);
            if (add) {
                aliases.add(alias);
            }
            v.put("aliases", aliases);
        });
    }

    @QueryHandler
    List<View> find(FindModels query) {
        return Views.newestFirst(documents, MODELS, "updatedAt", null, 200).stream().map(View::new).toList();
    }

    @QueryHandler
    Optional<View> find(FindModel query) {
        return documents.get(MODELS, query.name().value()).map(model -> {
            model.put("versions", Views.newestFirst(documents, VERSIONS, "registeredAt",
                    Views.term("model", query.name().value()), 500));
            return new View(model);
        });
    }

    public Optional<Map<String, Object>> version(String model, int version) {
        return documents.get(VERSIONS, versionId(model, version));
    }

    @ResetHandler
    void reset() {
        documents.startGeneration(MODELS);
        documents.startGeneration(VERSIONS);
    }
}
