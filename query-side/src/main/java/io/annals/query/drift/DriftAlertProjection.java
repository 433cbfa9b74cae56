package io.annals.query.drift;

import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.drift.DriftAlertAcknowledged;
import io.annals.command.api.drift.DriftAlertId;
import io.annals.command.api.drift.DriftAlertRaised;
import io.annals.command.api.drift.DriftAlertResolved;
import io.annals.command.api.drift.FindDriftAlerts;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.Positions;
import io.annals.query.elastic.View;
import io.annals.query.elastic.Views;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;

/** Drift alerts, one document per occurrence; every change is pushed to alert subscribers. */
@ProcessingGroup(DriftAlertProjection.PROCESSING_GROUP)
public class DriftAlertProjection {

    public static final String PROCESSING_GROUP = "drift-alert-projection";
    public static final String INDEX = "annals-drift-alerts-v1";
    private static final String MAPPING = """
            {"id":{"type":"keyword"},"alertId":{"type":"keyword"},"endpoint":{"type":"keyword"},
             "status":{"type":"keyword"},"raisedAt":{"type":"date"}}""";

    private final Documents documents;
    private final QueryUpdateEmitter updates;

    public DriftAlertProjection(Documents documents, QueryUpdateEmitter updates) {
        this.documents = documents;
        documents.declare(INDEX, MAPPING);
        this.updates = updates;
    }

    static String id(DriftAlertId alertId, int occurrence) {
        return alertId.value() + "#" + occurrence;
    }

    @EventHandler
    void on(DriftAlertRaised e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        documents.ensureIndex(INDEX);
        apply(id(e.alertId(), e.occurrence()), token, LinkedHashMap::new, doc -> {
            doc.put("id", id(e.alertId(), e.occurrence()));
            doc.put("alertId", e.alertId().value());
            doc.put("occurrence", e.occurrence());
            doc.put("endpoint", e.endpoint().value());
            doc.put("model", e.model().value());
            doc.put("version", e.version());
            doc.put("psi", e.psi());
            doc.put("threshold", e.threshold());
            doc.put("windowSize", e.windowSize());
            doc.put("windowEnd", e.windowEnd() == null ? null : e.windowEnd().toString());
            doc.put("status", "OPEN");
            doc.put("raisedAt", at.toString());
            doc.put("raisedBy", actor);
        });
    }

    @EventHandler
    void on(DriftAlertAcknowledged e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        apply(id(e.alertId(), e.occurrence()), token, null, doc -> {
            doc.put("status", "ACKNOWLEDGED");
            doc.put("acknowledgedAt", at.toString());
            doc.put("acknowledgedBy", actor);
            doc.put("note", e.note());
        });
    }

    @EventHandler
    void on(DriftAlertResolved e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        apply(id(e.alertId(), e.occurrence()), token, null, doc -> {
            doc.put("status", "RESOLVED");
            doc.put("resolvedAt", at.toString());
            doc.put("resolvedBy", actor);
            doc.put("note", e.note());
        });
    }

    /** Writes the change unless the document already has it, and pushes only a written change to subscribers. */
    private void apply(String id, TrackingToken token, Supplier<Map<String, Object>> ifMissing,
                       Consumer<Map<String, Object>> change) {
        documents.apply(INDEX, id, Positions.of(token), ifMissing, change).ifPresent(doc ->
                updates.emit(FindDriftAlerts.class, q -> q.status() == null || q.status().equals(doc.get("status")),
                        new View(doc)));
    }

    @QueryHandler
    List<View> find(FindDriftAlerts query) {
        return Views.newestFirst(documents, INDEX, "raisedAt",
                query.status() == null ? null : Views.term("status", query.status()), 200)
                .stream().map(View::new).toList();
    }

    @ResetHandler
    void reset() {
        documents.startGeneration(INDEX);
    }
}
