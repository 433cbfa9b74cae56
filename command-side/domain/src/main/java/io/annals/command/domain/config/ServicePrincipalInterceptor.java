package io.annals.command.domain.config;

import io.annals.command.api.access.AccessRules;
import io.annals.command.api.access.CommandPermissions;
import io.annals.command.api.access.Permission;
import io.annals.command.api.access.Role;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.MetadataKeys;
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

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        CommandMessage<?> command = unitOfWork.getMessage();
        Object actor = command.getMetaData().get(MetadataKeys.ACTOR);
        if (actor instanceof String value && value.startsWith("service:")) {
            Optional<Role> role = AccessRules.serviceRole(Actor.of(value));
            if (role.isPresent()) {
                Permission needed = CommandPermissions.needed(command.getPayloadType()).orElse(null);
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
