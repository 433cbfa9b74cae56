package io.annals.command.domain.config;

import io.annals.command.api.common.MetadataKeys;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/** Refuses any command that does not say who sent it, so no event is ever recorded without an actor. */
final class ActorRequiredInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        Object actor = unitOfWork.getMessage().getMetaData().get(MetadataKeys.ACTOR);
        if (!(actor instanceof String s) || s.isBlank()) {
            throw new SecurityException("command " + unitOfWork.getMessage().getCommandName()
                    + " carries no authenticated actor; it was refused");
        }
        return chain.proceed();
    }
}
