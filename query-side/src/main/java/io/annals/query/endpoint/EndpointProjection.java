package io.annals.query.endpoint;

import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.endpoint.DriftMonitorConfigured;
import io.annals.command.api.endpoint.EndpointRevisionDeployed;
import io.annals.command.api.endpoint.EndpointRolledBack;
import io.annals.command.api.endpoint.FindEndpoint;
import io.annals.command.api.endpoint.FindEndpoints;
import io.annals.command.api.endpoint.ServingTarget;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Positions;
import io.annals.query.elastic.View;
import io.annals.query.elastic.Views;
import java.time.Instant;
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

/** Endpoints with what they serve now and every revision: who deployed or rolled back what, when and why. */
@ProcessingGroup(EndpointProjection.PROCESSING_GROUP)
public class EndpointProjection {

    public static final String PROCESSING_GROUP = "endpoint-projection";
    public static final String INDEX = "annals-endpoints-v1";
    private static final String MAPPING = """
            {"name":{"type":"keyword"},"createdAt":{"type":"date"},"updatedAt":{"type":"date"}}""";

    private final Documents documents;

    public EndpointProjection(Documents documents) {
        this.documents = documents;
        documents.declare(INDEX, MAPPING);
    }

    @EventHandler
    void on(EndpointRevisionDeployed e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        revision(e.endpoint().value(), Positions.of(token), at, actor, e.revision(), e.targets(), "DEPLOY", e.reason(), null, null);
    }

    @EventHandler
    void on(EndpointRolledBack e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        revision(e.endpoint().value(), Positions.of(token), at, actor, e.newRevision(), e.targets(), "ROLLBACK", e.reason(),
                e.fromRevision(), e.restoredRevision());
    }

    private void revision(String name, long position, Instant at, String actor, int revision, List<ServingTarget> targets,
                          String kind, String reason, Integer from, Integer restored) {
        documents.ensureIndex(INDEX);
        List<Map<String, Object>> served = targets.stream().map(t -> Map.<String, Object>of("model",
                t.model().value(), "version", t.version(), "trafficPercent", t.trafficPercent())).toList();
        Map<String, Object> rev = new LinkedHashMap<>();
        rev.put("revision", revision);
        rev.put("kind", kind);
        rev.put("targets", served);
        rev.put("reason", reason);
        rev.put("fromRevision", from);
        rev.put("restoredRevision", restored);
        rev.put("at", at.toString());
        rev.put("by", actor);
        documents.apply(INDEX, name, position, () -> Map.of("name", name, "createdAt", at.toString(),
                "revisions", List.of()), doc -> {
                    Views.upsertInList(doc, "revisions", "revision", rev);
                    doc.put("currentRevision", revision);
                    doc.put("targets", served);
                    doc.put("updatedAt", at.toString());
                });
    }

    @EventHandler
    void on(DriftMonitorConfigured e, @Timestamp Instant at, TrackingToken token) {
        documents.apply(INDEX, e.endpoint().value(), Positions.of(token), null, doc -> {
            doc.put("driftMonitor", Map.of("psiThreshold", e.psiThreshold(), "windowSize", e.windowSize()));
            doc.put("updatedAt", at.toString());
        });
    }

    @QueryHandler
    List<View> find(FindEndpoints query) {
        return Views.newestFirst(documents, INDEX, "updatedAt", null, 200).stream().map(View::new).toList();
    }

    @QueryHandler
    Optional<View> find(FindEndpoint query) {
        return documents.get(INDEX, query.name().value()).map(View::new);
    }

    @ResetHandler
    void reset() {
        documents.startGeneration(INDEX);
    }
}
