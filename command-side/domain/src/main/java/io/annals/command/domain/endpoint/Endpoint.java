package io.annals.command.domain.endpoint;

import io.annals.command.api.common.DomainException;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.annals.command.api.common.StreamId;
import io.annals.command.api.endpoint.AutomaticRollbackDeclined;
import io.annals.command.api.endpoint.ConfigureDriftMonitor;
import io.annals.command.api.endpoint.ConfigureRolloutPolicy;
import io.annals.command.api.endpoint.DeployModelVersion;
import io.annals.command.api.endpoint.DeploymentMode;
import io.annals.command.api.endpoint.DriftMonitorConfigured;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.endpoint.EndpointRevisionDeployed;
import io.annals.command.api.endpoint.EndpointRolledBack;
import io.annals.command.api.endpoint.RecordShadowComparison;
import io.annals.command.api.endpoint.RollBackEndpoint;
import io.annals.command.api.endpoint.RollBackOnDriftAlert;
import io.annals.command.api.endpoint.RolloutPolicyConfigured;
import io.annals.command.api.endpoint.ServingTarget;
import io.annals.command.api.endpoint.ShadowComparisonRecorded;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.domain.config.StreamTargetResolver;
import io.annals.command.domain.model.ModelCatalog;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A serving endpoint as a history of revisions. Its state is the replay of its events: the revisions, when each
 * went live, and the stack of live revisions that a rollback pops. A rollback never edits history; it adds a
 * revision that restores an earlier one's targets.
 */
@Aggregate(commandTargetResolver = StreamTargetResolver.BEAN)
public class Endpoint {

    /** {@code <kind>:<name>}: each kind of entity has its own identifier space in the event store. */
    @AggregateIdentifier
    private String streamId;
    private EndpointName name;
    private final Map<Integer, List<ServingTarget>> revisions = new HashMap<>();
    /** Revisions in the order they went live, with the instant, for rollback "as of" a time. */
    private final List<Activation> timeline = new ArrayList<>();
    /** Live revision on top; below it, the one a plain rollback restores. */
    private final Deque<Integer> liveStack = new ArrayDeque<>();
    private int lastRevision;
    /** The model version the last deployment put in (the canary of a split), which an alert must name. */
    private ServingTarget lastDeployed;
    private boolean rollBackOnDrift;
    private Double minPsi;
    private io.annals.command.api.drift.DriftSeverity minSeverity;
    private Instant policySince;
    /** Alerts this endpoint has decided on, rolled back for or declined: each counts once. */
    private final Set<String> decidedAlerts = new HashSet<>();
    /** Shadow comparison windows recorded: each counts once. */
    private final Set<String> comparedWindows = new HashSet<>();

    private record Activation(Instant at, int revision) {
    }

    protected Endpoint() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public int handle(DeployModelVersion command, ModelCatalog models) {
        ModelVersionRegistered version = command.alias() == null
                ? models.version(command.model(), command.version()).orElseThrow(() -> new IllegalArgumentException(
                        "model '" + command.model() + "' has no version " + command.version()))
                : models.aliased(command.model(), command.alias()).orElseThrow(() -> new IllegalArgumentException(
                        "model '" + command.model() + "' has no alias '" + command.alias() + "'"));
        boolean shadow = command.mode() == DeploymentMode.SHADOW;
        ServingTarget deployed = new ServingTarget(version.model(), version.version(), command.trafficPercent(),
                version.artifact(), version.features(), version.imported(), shadow);
        List<ServingTarget> targets = shadow ? shadowed(command, deployed) : List.of(deployed);
        if (!shadow && command.trafficPercent() < 100) {
            if (liveStack.isEmpty()) {
                throw DomainException.conflict("endpoint '" + command.endpoint() + "' serves nothing yet; a canary "
                        + "of " + command.trafficPercent() + "% needs a version to share the traffic with");
            }
            ServingTarget primary = answering(revisions.get(liveStack.peek())).get(0);
            if (primary.is(deployed.model(), deployed.version())) {
                throw DomainException.conflict("model '" + deployed.model() + "' version " + deployed.version()
                        + " is the version serving now; a canary needs another version");
            }
            targets = List.of(primary.withTrafficPercent(100 - command.trafficPercent()), deployed);
        }
        if (!liveStack.isEmpty() && sameModels(revisions.get(liveStack.peek()), targets)) {
            throw DomainException.conflict("endpoint '" + command.endpoint() + "' already serves model '"
                    + command.model() + "' version " + version.version()
                    + (shadow ? " as a shadow of " + command.trafficPercent() + "%" : ""));
        }
        int revision = lastRevision + 1;
        apply(new EndpointRevisionDeployed(command.endpoint(), revision, targets, command.reason()));
        return revision;
    }

    /**
     * The targets of a shadow deployment: what answers now, unchanged, and the new version receiving its share of
     * the requests mirrored (replacing any earlier shadow). The shadow must read only features every answering
     * version is sent, or the server could not give it the same rows.
     */
    private List<ServingTarget> shadowed(DeployModelVersion command, ServingTarget candidate) {
        if (liveStack.isEmpty()) {
            throw DomainException.conflict("endpoint '" + command.endpoint() + "' serves nothing yet; a shadow needs "
                    + "a version that answers the requests it mirrors");
        }
        List<ServingTarget> answering = answering(revisions.get(liveStack.peek()));
        for (ServingTarget live : answering) {
            if (live.is(candidate.model(), candidate.version())) {
                throw DomainException.conflict("model '" + candidate.model() + "' version " + candidate.version()
                        + " answers requests on endpoint '" + command.endpoint() + "' now; a shadow needs another "
                        + "version");
            }
            List<String> missing = candidate.features().stream().filter(f -> !live.features().contains(f)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("model '" + candidate.model() + "' version "
                        + candidate.version() + " reads features " + missing + " that model '" + live.model()
                        + "' version " + live.version() + " does not, so its requests cannot be mirrored to it");
            }
        }
        List<ServingTarget> targets = new ArrayList<>(answering);
        targets.add(candidate);
        return List.copyOf(targets);
    }

    /** The targets that answer requests: all but the shadow. */
    private static List<ServingTarget> answering(List<ServingTarget> targets) {
        return targets.stream().filter(t -> !t.shadow()).toList();
    }

    /** Records a window of shadow scores compared with the answers; a window already recorded is ignored. */
    @CommandHandler
    public void handle(RecordShadowComparison command) {
        if (!comparedWindows.contains(command.windowId())) {
            apply(new ShadowComparisonRecorded(name, command.windowId(), command.comparison()));
        }
    }

    @CommandHandler
    public int handle(RollBackEndpoint command) {
        int current = liveStack.isEmpty() ? 0 : liveStack.peek();
        int restored = command.asOf() == null ? previousRevision() : revisionLiveAt(command.asOf());
        if (sameModels(revisions.get(restored), revisions.get(current))) {
            throw DomainException.conflict("revision " + restored + " of endpoint '" + name
                    + "' serves what is live now (revision " + current + "); nothing to roll back");
        }
        int revision = lastRevision + 1;
        apply(new EndpointRolledBack(name, current, restored, revision, revisions.get(restored),
                command.reason()));
        return revision;
    }

    @CommandHandler
    public void handle(ConfigureRolloutPolicy command) {
        apply(new RolloutPolicyConfigured(name, command.rollBackOnDrift(), command.minPsi(), command.minSeverity()));
    }

    /**
     * Rolls back for a drift alert when the policy says so: the endpoint opted in before the alert was raised, the
     * alert names the version deployed last and its PSI reaches the policy's. Returns whether it rolled back; an
     * opted-in endpoint that does not records why ({@link AutomaticRollbackDeclined}). An alert counts once.
     */
    @CommandHandler
    public boolean handle(RollBackOnDriftAlert command) {
        if (!rollBackOnDrift || policySince == null || command.raisedAt().isBefore(policySince)
                || decidedAlerts.contains(command.alert())) {
            return false;
        }
        String refusal = null;
        if (minPsi != null && command.psi() < minPsi) {
            refusal = "its PSI " + command.psi() + " is below the policy's " + minPsi;
        } else if (minSeverity != null && command.severity().compareTo(minSeverity) < 0) {
            refusal = "it is a " + command.severity() + ", below the policy's " + minSeverity;
        } else if (lastDeployed == null || !lastDeployed.model().equals(command.model())
                || lastDeployed.version() != command.version()) {
            refusal = "it names model '" + command.model() + "' version " + command.version()
                    + ", not the version deployed last" + (lastDeployed == null ? ""
                    : " (model '" + lastDeployed.model() + "' version " + lastDeployed.version() + ")");
        } else if (liveStack.size() < 2) {
            refusal = "the endpoint has no earlier revision to roll back to";
        }
        if (refusal != null) {
            apply(new AutomaticRollbackDeclined(name, command.alert(), refusal));
            return false;
        }
        int current = liveStack.peek();
        int restored = previousRevision();
        int revision = lastRevision + 1;
        apply(new EndpointRolledBack(name, current, restored, revision, revisions.get(restored),
                "automatic rollback: drift alert " + command.alert() + " on model '" + command.model() + "' version "
                        + command.version() + " (PSI " + String.format(java.util.Locale.ROOT, "%.3f", command.psi())
                        + ")", command.alert()));
        return true;
    }

    @CommandHandler
    public void handle(ConfigureDriftMonitor command) {
        apply(new DriftMonitorConfigured(name, command.settings()));
    }

    private int previousRevision() {
        if (liveStack.size() < 2) {
            throw DomainException.conflict("endpoint '" + name + "' has no earlier revision to roll back to");
        }
        var it = liveStack.iterator();
        it.next();
        return it.next();
    }

    private int revisionLiveAt(Instant asOf) {
        int found = 0;
        for (Activation activation : timeline) {
            if (!activation.at().isAfter(asOf)) {
                found = activation.revision();
            }
        }
        if (found == 0) {
            throw new IllegalArgumentException("endpoint '" + name + "' had no revision live at " + asOf);
        }
        return found;
    }

    private static boolean sameModels(List<ServingTarget> a, List<ServingTarget> b) {
        if (a == null || b == null || a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            ServingTarget x = a.get(i);
            ServingTarget y = b.get(i);
            if (!x.is(y.model(), y.version()) || x.trafficPercent() != y.trafficPercent()
                    || x.shadow() != y.shadow()) {
                return false;
            }
        }
        return true;
    }

    @EventSourcingHandler
    void on(RolloutPolicyConfigured event, @Timestamp Instant at) {
        rollBackOnDrift = event.rollBackOnDrift();
        minPsi = event.minPsi();
        minSeverity = event.minSeverity();
        policySince = event.rollBackOnDrift() ? at : null;
    }

    @EventSourcingHandler
    void on(ShadowComparisonRecorded event) {
        comparedWindows.add(event.windowId());
    }

    @EventSourcingHandler
    void on(AutomaticRollbackDeclined event) {
        decidedAlerts.add(event.alert());
    }

    @EventSourcingHandler
    void on(EndpointRevisionDeployed event, @Timestamp Instant at) {
        lastDeployed = event.targets().get(event.targets().size() - 1);
        name = event.endpoint();
        streamId = StreamId.of(name).toString();
        revisions.put(event.revision(), event.targets());
        lastRevision = event.revision();
        liveStack.push(event.revision());
        timeline.add(new Activation(at, event.revision()));
    }

    @EventSourcingHandler
    void on(EndpointRolledBack event, @Timestamp Instant at) {
        if (event.cause() != null) {
            decidedAlerts.add(event.cause());
        }
        lastDeployed = null;
        revisions.put(event.newRevision(), event.targets());
        lastRevision = event.newRevision();
        if (!liveStack.isEmpty()) {
            liveStack.pop();
        }
        if (!liveStack.isEmpty() && liveStack.peek() == event.restoredRevision()) {
            liveStack.pop();
        }
        liveStack.push(event.newRevision());
        timeline.add(new Activation(at, event.newRevision()));
    }
}
