package io.annals.command.api.access;

import io.annals.command.api.dataset.IngestDatasetBatch;
import io.annals.command.api.dataset.RegisterDataset;
import io.annals.command.api.dataset.RepointPartition;
import io.annals.command.api.drift.AcknowledgeDriftAlert;
import io.annals.command.api.drift.RaiseDriftAlert;
import io.annals.command.api.drift.ResolveDriftAlert;
import io.annals.command.api.endpoint.ConfigureDriftMonitor;
import io.annals.command.api.endpoint.ConfigureRolloutPolicy;
import io.annals.command.api.endpoint.DeployModelVersion;
import io.annals.command.api.endpoint.RecordShadowComparison;
import io.annals.command.api.endpoint.RollBackEndpoint;
import io.annals.command.api.endpoint.RollBackOnDriftAlert;
import io.annals.command.api.featureset.RegisterFeatureSet;
import io.annals.command.api.model.AssignModelAlias;
import io.annals.command.api.model.EvaluateModelVersion;
import io.annals.command.api.model.FailModelEvaluation;
import io.annals.command.api.model.ImportModelVersion;
import io.annals.command.api.model.RecordModelEvaluation;
import io.annals.command.api.model.RegisterModelVersion;
import io.annals.command.api.trainingrun.ClaimTrainingRun;
import io.annals.command.api.trainingrun.CompleteTrainingRun;
import io.annals.command.api.trainingrun.FailTrainingRun;
import io.annals.command.api.trainingrun.RecordModelRegistrationFailure;
import io.annals.command.api.trainingrun.RecordTrainingEpoch;
import io.annals.command.api.trainingrun.ReleaseExpiredLease;
import io.annals.command.api.trainingrun.RequestTrainingRun;
import io.annals.command.api.trainingset.ClaimTrainingSet;
import io.annals.command.api.trainingset.CompleteTrainingSet;
import io.annals.command.api.trainingset.FailTrainingSet;
import io.annals.command.api.trainingset.MaterializeTrainingSet;
import io.annals.command.api.trainingset.RecordTrainingSetProgress;
import io.annals.command.api.trainingset.ReleaseExpiredTrainingSetLease;
import io.annals.command.api.webhook.RecordWebhookDelivery;
import io.annals.command.api.webhook.RegisterWebhook;
import io.annals.command.api.webhook.RemoveWebhook;
import io.annals.command.api.webhook.ReplayWebhook;
import io.annals.command.api.webhook.StartWebhookReplay;
import io.annals.command.api.pipeline.FailPipelineRun;
import io.annals.command.api.pipeline.PausePipeline;
import io.annals.command.api.pipeline.RecordPipelineCandidate;
import io.annals.command.api.pipeline.RecordPipelineEvaluation;
import io.annals.command.api.pipeline.RecordPipelinePromotion;
import io.annals.command.api.pipeline.RegisterPipeline;
import io.annals.command.api.pipeline.ResumePipeline;
import io.annals.command.api.pipeline.TriggerPipeline;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every command of the published language and the permission a service principal needs to send it. It is also
 * the list of commands the command role accepts from another Annals process (by simple name): nothing outside it
 * is ever instantiated from a request.
 */
public final class CommandPermissions {

    private static final Map<Class<?>, Permission> NEEDS = Map.ofEntries(
            Map.entry(RegisterDataset.class, Permission.DATASET_WRITE),
            Map.entry(IngestDatasetBatch.class, Permission.DATASET_WRITE),
            Map.entry(RepointPartition.class, Permission.DATASET_WRITE),
            Map.entry(RegisterFeatureSet.class, Permission.FEATURE_SET_WRITE),
            Map.entry(MaterializeTrainingSet.class, Permission.DATASET_WRITE),
            Map.entry(RequestTrainingRun.class, Permission.MODEL_TRAIN),
            Map.entry(AssignModelAlias.class, Permission.MODEL_WRITE),
            Map.entry(ImportModelVersion.class, Permission.MODEL_WRITE),
            Map.entry(DeployModelVersion.class, Permission.ENDPOINT_DEPLOY),
            Map.entry(RollBackEndpoint.class, Permission.ENDPOINT_DEPLOY),
            Map.entry(RollBackOnDriftAlert.class, Permission.ENDPOINT_DEPLOY),
            Map.entry(ConfigureRolloutPolicy.class, Permission.ENDPOINT_DEPLOY),
            Map.entry(ConfigureDriftMonitor.class, Permission.ENDPOINT_MONITOR),
            Map.entry(AcknowledgeDriftAlert.class, Permission.ENDPOINT_MONITOR),
            Map.entry(ResolveDriftAlert.class, Permission.ENDPOINT_MONITOR),
            Map.entry(RaiseDriftAlert.class, Permission.ALERT_RAISE),
            // the drift monitor reports how a shadow compares, as it reports drift
            Map.entry(RecordShadowComparison.class, Permission.ALERT_RAISE),
            Map.entry(ClaimTrainingRun.class, Permission.RUN_EXECUTE),
            Map.entry(RecordTrainingEpoch.class, Permission.RUN_EXECUTE),
            Map.entry(CompleteTrainingRun.class, Permission.RUN_EXECUTE),
            Map.entry(FailTrainingRun.class, Permission.RUN_EXECUTE),
            Map.entry(ReleaseExpiredLease.class, Permission.RUN_EXECUTE),
            Map.entry(RegisterModelVersion.class, Permission.MODEL_REGISTER),
            Map.entry(RecordModelRegistrationFailure.class, Permission.MODEL_REGISTER),
            Map.entry(EvaluateModelVersion.class, Permission.MODEL_EVALUATE),
            Map.entry(RecordModelEvaluation.class, Permission.MODEL_EVALUATE),
            Map.entry(FailModelEvaluation.class, Permission.MODEL_EVALUATE),
            Map.entry(ClaimTrainingSet.class, Permission.TRAINING_SET_EXECUTE),
            Map.entry(RecordTrainingSetProgress.class, Permission.TRAINING_SET_EXECUTE),
            Map.entry(CompleteTrainingSet.class, Permission.TRAINING_SET_EXECUTE),
            Map.entry(FailTrainingSet.class, Permission.TRAINING_SET_EXECUTE),
            Map.entry(ReleaseExpiredTrainingSetLease.class, Permission.TRAINING_SET_EXECUTE),
            Map.entry(GrantRole.class, Permission.ACCESS_MANAGE),
            Map.entry(RevokeRole.class, Permission.ACCESS_MANAGE),
            Map.entry(GrantPermission.class, Permission.ACCESS_MANAGE),
            Map.entry(RevokePermission.class, Permission.ACCESS_MANAGE),
            Map.entry(CreateApiToken.class, Permission.TOKEN_MANAGE),
            Map.entry(RegisterWebhook.class, Permission.WEBHOOK_MANAGE),
            Map.entry(RemoveWebhook.class, Permission.WEBHOOK_MANAGE),
            Map.entry(ReplayWebhook.class, Permission.WEBHOOK_MANAGE),
            Map.entry(StartWebhookReplay.class, Permission.WEBHOOK_DELIVER),
            Map.entry(RecordWebhookDelivery.class, Permission.WEBHOOK_DELIVER),
            Map.entry(RevokeApiToken.class, Permission.TOKEN_MANAGE),
            Map.entry(RegisterPipeline.class, Permission.PIPELINE_WRITE),
            Map.entry(PausePipeline.class, Permission.PIPELINE_WRITE),
            Map.entry(ResumePipeline.class, Permission.PIPELINE_WRITE),
            Map.entry(TriggerPipeline.class, Permission.PIPELINE_WRITE),
            Map.entry(RecordPipelineCandidate.class, Permission.PIPELINE_RUN),
            Map.entry(io.annals.command.api.pipeline.RecordPipelineTrainingSet.class, Permission.PIPELINE_RUN),
            Map.entry(RecordPipelineEvaluation.class, Permission.PIPELINE_RUN),
            Map.entry(RecordPipelinePromotion.class, Permission.PIPELINE_RUN),
            Map.entry(FailPipelineRun.class, Permission.PIPELINE_RUN),
            Map.entry(io.annals.command.api.pipeline.TickPipeline.class, Permission.PIPELINE_RUN),
            Map.entry(io.annals.command.api.pipeline.RecordPipelineCanary.class, Permission.PIPELINE_RUN),
            Map.entry(io.annals.command.api.pipeline.RecordPipelineDriftAlert.class, Permission.PIPELINE_RUN),
            Map.entry(io.annals.command.api.pipeline.RecordPipelineRollback.class, Permission.PIPELINE_RUN),
            Map.entry(io.annals.command.api.pipeline.RetryPipelineRun.class, Permission.PIPELINE_WRITE));

    private static final Map<String, Class<?>> BY_NAME = NEEDS.keySet().stream()
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    private CommandPermissions() {
    }

    /** The permission {@code command} needs, or empty for a class that is not a command. */
    public static Optional<Permission> needed(Class<?> command) {
        return Optional.ofNullable(NEEDS.get(command));
    }

    /** The command class with this simple name, or empty. */
    public static Optional<Class<?>> byName(String simpleName) {
        return Optional.ofNullable(BY_NAME.get(simpleName));
    }

    public static Set<Class<?>> all() {
        return NEEDS.keySet();
    }
}
