package io.annals.app.cluster;

import io.annals.infra.clients.SecretBox;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The command port's two ends; which one a process has follows {@code annals.roles}: RolesConfiguration imports
 * one of them. They carry no {@code @Configuration}, so that component scanning does not pick both up.
 */
public final class ClusterConfiguration {

    private ClusterConfiguration() {
    }

    /** A process with the command role answers the other processes' commands. */
    public static class CommandRole {

        @Bean
        CommandEndpoint commandEndpoint(CommandGateway commands, SecretBox secrets) {
            return new CommandEndpoint(commands, CommandWire.internalToken(secrets));
        }
    }

    /** A process without it sends every command to one that has it; Axon's own bus steps aside for this one. */
    @EnableConfigurationProperties(CommandSettings.class)
    public static class RemoteCommands {

        @Bean
        CommandBus commandBus(CommandSettings settings, SecretBox secrets) {
            return new RemoteCommandBus(settings.url(), CommandWire.internalToken(secrets), settings.timeout());
        }
    }
}
