package io.annals.query.endpoint;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.endpoint.DriftMonitorConfigured;
import io.annals.command.api.endpoint.EndpointRevisionDeployed;
import io.annals.command.api.endpoint.EndpointRolledBack;
import io.annals.command.api.endpoint.EndpointView;
import io.annals.command.api.endpoint.RevisionKind;
import io.annals.command.api.endpoint.RevisionView;
import io.annals.command.api.endpoint.RolloutPolicy;
import io.annals.command.api.endpoint.RolloutPolicyConfigured;
import io.annals.command.api.endpoint.ShadowComparisonRecorded;
import io.annals.command.api.endpoint.TargetView;
import io.annals.query.elastic.Positions;
import io.annals.query.elastic.ReadModel;
import io.annals.query.elastic.ReadModelStore;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.annotation.MetaDataValue;

/** Endpoints with what they serve now and every revision: who deployed or rolled back what, when and why. */
@ProcessingGroup(EndpointProjection.PROCESSING_GROUP)
public class EndpointProjection {

    public static final String PROCESSING_GROUP = "endpoint-projection";
    public static final ReadModel<EndpointView> ENDPOINTS = new ReadModel<>("annals-endpoints-v2",
            EndpointView.class, """
            {"name":{"type":"keyword"},"createdAt":{"type":"date"},"updatedAt":{"type":"date"},
             "servedVersions":{"type":"keyword"}}""");

    private final ReadModelStore store;

    public EndpointProjection(ReadModelStore store) {
        this.store = store;
        store.readAhead(ENDPOINTS, event -> {
            if (event instanceof EndpointRevisionDeployed e) {
                return List.of(e.endpoint().value());
            } else if (event instanceof EndpointRolledBack e) {
                return List.of(e.endpoint().value());
            } else if (event instanceof DriftMonitorConfigured e) {
                return List.of(e.endpoint().value());
            } else if (event instanceof ShadowComparisonRecorded e) {
                return List.of(e.endpoint().value());
            } else if (event instanceof RolloutPolicyConfigured e) {
                return List.of(e.endpoint().value());
            }
            return List.of();
        });
    }

    @EventHandler
    void on(EndpointRevisionDeployed e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        revision(e.endpoint().value(), token, new RevisionView(e.revision(), RevisionKind.DEPLOY,
                e.targets().stream().map(TargetView::of).toList(), e.reason(), null, null, at, Actor.of(actor)));
    }

    @EventHandler
    void on(EndpointRolledBack e, @Timestamp Instant at, @MetaDataValue(MetadataKeys.ACTOR) String actor,
            TrackingToken token) {
        revision(e.endpoint().value(), token, new RevisionView(e.newRevision(), RevisionKind.ROLLBACK,
                e.targets().stream().map(TargetView::of).toList(), e.reason(), e.fromRevision(),
                e.restoredRevision(), at, Actor.of(actor)));
    }

    private void revision(String name, TrackingToken token, RevisionView revision) {
        long position = Positions.of(token);
        store.apply(ENDPOINTS, name, position, () -> EndpointView.created(name, revision.at()),
                endpoint -> endpoint.withRevision(revision, position));
    }

    @EventHandler
    void on(DriftMonitorConfigured e, @Timestamp Instant at, TrackingToken token) {
        long position = Positions.of(token);
        store.apply(ENDPOINTS, e.endpoint().value(), position, null, endpoint -> endpoint.withDriftMonitor(
                e.settings(), at, position));
    }

    @EventHandler
    void on(ShadowComparisonRecorded e, TrackingToken token) {
        long position = Positions.of(token);
        store.apply(ENDPOINTS, e.endpoint().value(), position, null,
                endpoint -> endpoint.withShadowComparison(e.comparison(), position));
    }

    @EventHandler
    void on(RolloutPolicyConfigured e, @Timestamp Instant at, TrackingToken token) {
        long position = Positions.of(token);
        store.apply(ENDPOINTS, e.endpoint().value(), position, null, endpoint -> endpoint.withRolloutPolicy(
                new RolloutPolicy(e.rollBackOnDrift(), e.minPsi(), at, e.minSeverity()), position));
    }

    @ResetHandler
    void reset() {
        store.startGeneration(ENDPOINTS);
    }
}
