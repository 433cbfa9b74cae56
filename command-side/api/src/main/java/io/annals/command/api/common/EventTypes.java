package io.annals.command.api.common;

import io.annals.command.api.access.ApiTokenCreated;
import io.annals.command.api.access.ApiTokenRevoked;
import io.annals.command.api.access.PermissionGranted;
import io.annals.command.api.access.PermissionRevoked;
import io.annals.command.api.access.RoleGranted;
import io.annals.command.api.access.RoleRevoked;
import io.annals.command.api.dataset.DatasetBatchIngested;
import io.annals.command.api.dataset.DatasetRegistered;
import io.annals.command.api.drift.DriftAlertAcknowledged;
import io.annals.command.api.drift.DriftAlertRaised;
import io.annals.command.api.drift.DriftAlertResolved;
import io.annals.command.api.endpoint.AutomaticRollbackDeclined;
import io.annals.command.api.endpoint.DriftMonitorConfigured;
import io.annals.command.api.endpoint.EndpointRevisionDeployed;
import io.annals.command.api.endpoint.EndpointRolledBack;
import io.annals.command.api.endpoint.RolloutPolicyConfigured;
import io.annals.command.api.endpoint.ShadowComparisonRecorded;
import io.annals.command.api.featureset.FeatureSetVersionRegistered;
import io.annals.command.api.model.ModelAliasAssigned;
import io.annals.command.api.model.ModelEvaluationFailed;
import io.annals.command.api.model.ModelEvaluationRequested;
import io.annals.command.api.model.ModelVersionEvaluated;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.trainingrun.ModelRegistrationFailed;
import io.annals.command.api.trainingrun.TrainingEpochCompleted;
import io.annals.command.api.trainingrun.TrainingRunClaimed;
import io.annals.command.api.trainingrun.TrainingRunCompleted;
import io.annals.command.api.trainingrun.TrainingRunFailed;
import io.annals.command.api.trainingrun.TrainingRunLeaseExpired;
import io.annals.command.api.trainingrun.TrainingRunRequested;
import io.annals.command.api.trainingset.TrainingSetClaimed;
import io.annals.command.api.trainingset.TrainingSetFailed;
import io.annals.command.api.trainingset.TrainingSetLeaseExpired;
import io.annals.command.api.trainingset.TrainingSetMaterialized;
import io.annals.command.api.trainingset.TrainingSetProgressed;
import io.annals.command.api.trainingset.TrainingSetRequested;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every event type with the name it has outside this process. Names are written out, not derived from classes,
 * so that moving or renaming a class never breaks a consumer; a changed payload shape gets a new version.
 */
public final class EventTypes {

    private static final Map<Class<?>, WireName> BY_CLASS = new LinkedHashMap<>();
    private static final Map<String, Class<?>> BY_NAME = new LinkedHashMap<>();

    static {
        register(DatasetRegistered.class, "annals.DatasetRegistered", 1);
        register(DatasetBatchIngested.class, "annals.DatasetBatchIngested", 1);
        register(TrainingRunRequested.class, "annals.TrainingRunRequested", 1);
        register(TrainingRunClaimed.class, "annals.TrainingRunClaimed", 1);
        register(TrainingEpochCompleted.class, "annals.TrainingEpochCompleted", 1);
        register(TrainingRunLeaseExpired.class, "annals.TrainingRunLeaseExpired", 1);
        register(TrainingRunCompleted.class, "annals.TrainingRunCompleted", 1);
        register(TrainingRunFailed.class, "annals.TrainingRunFailed", 1);
        register(ModelRegistrationFailed.class, "annals.ModelRegistrationFailed", 1);
        register(ModelVersionRegistered.class, "annals.ModelVersionRegistered", 1);
        register(ModelAliasAssigned.class, "annals.ModelAliasAssigned", 1);
        register(EndpointRevisionDeployed.class, "annals.EndpointRevisionDeployed", 1);
        register(EndpointRolledBack.class, "annals.EndpointRolledBack", 1);
        register(DriftMonitorConfigured.class, "annals.DriftMonitorConfigured", 1);
        register(DriftAlertRaised.class, "annals.DriftAlertRaised", 1);
        register(DriftAlertAcknowledged.class, "annals.DriftAlertAcknowledged", 1);
        register(DriftAlertResolved.class, "annals.DriftAlertResolved", 1);
        register(io.annals.command.api.drift.DriftAlertEscalated.class, "annals.DriftAlertEscalated", 1);
        register(FeatureSetVersionRegistered.class, "annals.FeatureSetVersionRegistered", 1);
        register(TrainingSetRequested.class, "annals.TrainingSetRequested", 1);
        register(TrainingSetClaimed.class, "annals.TrainingSetClaimed", 1);
        register(TrainingSetProgressed.class, "annals.TrainingSetProgressed", 1);
        register(TrainingSetLeaseExpired.class, "annals.TrainingSetLeaseExpired", 1);
        register(TrainingSetMaterialized.class, "annals.TrainingSetMaterialized", 1);
        register(TrainingSetFailed.class, "annals.TrainingSetFailed", 1);
        register(RolloutPolicyConfigured.class, "annals.RolloutPolicyConfigured", 1);
        register(AutomaticRollbackDeclined.class, "annals.AutomaticRollbackDeclined", 1);
        register(ShadowComparisonRecorded.class, "annals.ShadowComparisonRecorded", 1);
        register(ModelEvaluationRequested.class, "annals.ModelEvaluationRequested", 1);
        register(ModelVersionEvaluated.class, "annals.ModelVersionEvaluated", 1);
        register(ModelEvaluationFailed.class, "annals.ModelEvaluationFailed", 1);
        register(RoleGranted.class, "annals.RoleGranted", 1);
        register(RoleRevoked.class, "annals.RoleRevoked", 1);
        register(PermissionGranted.class, "annals.PermissionGranted", 1);
        register(PermissionRevoked.class, "annals.PermissionRevoked", 1);
        register(ApiTokenCreated.class, "annals.ApiTokenCreated", 1);
        register(ApiTokenRevoked.class, "annals.ApiTokenRevoked", 1);
        register(io.annals.command.api.webhook.WebhookRegistered.class, "annals.WebhookRegistered", 1);
        register(io.annals.command.api.webhook.WebhookRemoved.class, "annals.WebhookRemoved", 1);
        register(io.annals.command.api.webhook.WebhookReplayRequested.class, "annals.WebhookReplayRequested", 1);
        register(io.annals.command.api.webhook.WebhookReplayStarted.class, "annals.WebhookReplayStarted", 1);
        register(io.annals.command.api.webhook.WebhookDeliveryAttempted.class, "annals.WebhookDeliveryAttempted", 1);
        register(io.annals.command.api.dataset.DatasetPartitionRepointed.class, "annals.DatasetPartitionRepointed", 1);
        register(io.annals.command.api.pipeline.PipelineVersionRegistered.class, "annals.PipelineVersionRegistered", 1);
        register(io.annals.command.api.pipeline.PipelinePaused.class, "annals.PipelinePaused", 1);
        register(io.annals.command.api.pipeline.PipelineResumed.class, "annals.PipelineResumed", 1);
        register(io.annals.command.api.pipeline.PipelineRunQueued.class, "annals.PipelineRunQueued", 1);
        register(io.annals.command.api.pipeline.PipelineRunStarted.class, "annals.PipelineRunStarted", 1);
        register(io.annals.command.api.pipeline.PipelineCandidateTrained.class, "annals.PipelineCandidateTrained", 1);
        register(io.annals.command.api.pipeline.PipelineVersionEvaluated.class, "annals.PipelineVersionEvaluated", 1);
        register(io.annals.command.api.pipeline.PipelineGateDecided.class, "annals.PipelineGateDecided", 1);
        register(io.annals.command.api.pipeline.PipelineRunFinished.class, "annals.PipelineRunFinished", 1);
        register(io.annals.command.api.pipeline.PipelineScheduleTicked.class, "annals.PipelineScheduleTicked", 1);
        register(io.annals.command.api.pipeline.PipelineCanaryDeployed.class, "annals.PipelineCanaryDeployed", 1);
        register(io.annals.command.api.pipeline.PipelineObservationPassed.class, "annals.PipelineObservationPassed", 1);
        register(io.annals.command.api.pipeline.PipelineObservationFailed.class, "annals.PipelineObservationFailed", 1);
        register(io.annals.command.api.pipeline.PipelineRunRetried.class, "annals.PipelineRunRetried", 1);
        register(io.annals.command.api.pipeline.PipelineTrainingSetReady.class, "annals.PipelineTrainingSetReady", 1);
    }

    private EventTypes() {
    }

    private static void register(Class<?> type, String name, int version) {
        BY_CLASS.put(type, new WireName(name, version));
        BY_NAME.put(name, type);
    }

    public static WireName wireName(Class<?> eventType) {
        WireName name = BY_CLASS.get(eventType);
        if (name == null) {
            throw new IllegalArgumentException(eventType + " has no wire name: add it to EventTypes");
        }
        return name;
    }

    /** Every wire name, in the order they were added. */
    public static java.util.List<String> wireNames() {
        return java.util.List.copyOf(BY_NAME.keySet());
    }

    public static Optional<Class<?>> typeOf(String wireName) {
        return Optional.ofNullable(BY_NAME.get(wireName));
    }
}
