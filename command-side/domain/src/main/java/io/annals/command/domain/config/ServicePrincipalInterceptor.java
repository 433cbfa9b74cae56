package io.annals.command.domain.config;

import io.annals.command.api.access.AccessRules;
import io.annals.command.api.access.CreateApiToken;
import io.annals.command.api.access.GrantPermission;
import io.annals.command.api.access.GrantRole;
import io.annals.command.api.access.Permission;
import io.annals.command.api.access.RevokeApiToken;
import io.annals.command.api.access.RevokePermission;
import io.annals.command.api.access.RevokeRole;
import io.annals.command.api.access.Role;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.dataset.IngestDatasetBatch;
import io.annals.command.api.dataset.RegisterDataset;
import io.annals.command.api.drift.AcknowledgeDriftAlert;
import io.annals.command.api.drift.RaiseDriftAlert;
import io.annals.command.api.drift.ResolveDriftAlert;
import io.annals.command.api.endpoint.ConfigureDriftMonitor;
import io.annals.command.api.endpoint.DeployModelVersion;
import io.annals.command.api.endpoint.ConfigureRolloutPolicy;
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
import java.util.Map;
import java.util.Optional;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's own workers act under service principals ({@code service:training-worker/<id>}, ...) whose role
 * is the least they need: a command from one is refused with {@code FORBIDDEN}, before any event, unless its role
 * has the permission the command needs. People and other principals are checked by the API before a command is
 * sent (it knows the resource each request names and the caller's grants); a worker never goes through the API.
 */
public final class ServicePrincipalInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    private static final Logger log = LoggerFactory.getLogger(ServicePrincipalInterceptor.class);

    /** The permission each command needs. A command not listed is refused to every worker. */
    static final Map<Class<?>, Permission> NEEDS = Map.ofEntries(
            Map.entry(RegisterDataset.class, Permission.DATASET_WRITE),
            Map.entry(IngestDatasetBatch.class, Permission.DATASET_WRITE),
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
            Map.entry(io.annals.command.api.webhook.RegisterWebhook.class, Permission.WEBHOOK_MANAGE),
            Map.entry(io.annals.command.api.webhook.RemoveWebhook.class, Permission.WEBHOOK_MANAGE),
            Map.entry(io.annals.command.api.webhook.ReplayWebhook.class, Permission.WEBHOOK_MANAGE),
            Map.entry(io.annals.command.api.webhook.StartWebhookReplay.class, Permission.WEBHOOK_DELIVER),
            Map.entry(io.annals.command.api.webhook.RecordWebhookDelivery.class, Permission.WEBHOOK_DELIVER),
            Map.entry(RevokeApiToken.class, Permission.TOKEN_MANAGE));

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        CommandMessage<?> command = unitOfWork.getMessage();
        Object actor = command.getMetaData().get(MetadataKeys.ACTOR);
        if (actor instanceof String value && value.startsWith("service:")) {
            Optional<Role> role = AccessRules.serviceRole(Actor.of(value));
            if (role.isPresent()) {
                Permission needed = NEEDS.get(command.getPayloadType());
                if (needed == null || !role.get().allows(needed)) {
                    String message = value + " (role " + role.get().id() + ") may not send "
                            + command.getPayloadType().getSimpleName()
                            + (needed == null ? "" : ": it needs permission " + needed.id());
                    log.warn("Refused a worker's command: {}", message);
                    throw DomainException.forbidden(message);
                }
            }
        }
        return chain.proceed();
    }
}
