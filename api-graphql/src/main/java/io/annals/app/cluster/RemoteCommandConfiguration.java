package io.annals.app.cluster;

import io.annals.infra.clients.SecretBox;
import org.axonframework.commandhandling.CommandBus;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The sending end of the command port, imported by RolesConfiguration into a process without the command role;
 * Axon's own command bus steps aside for this one. (The receiving end, {@link CommandEndpoint}, is a controller of
 * command processes.) No {@code @Configuration} here, so that component scanning does not pick it up everywhere.
 */
@EnableConfigurationProperties(CommandSettings.class)
public class RemoteCommandConfiguration {

    @Bean
    CommandBus commandBus(CommandSettings settings, SecretBox secrets) {
        return new RemoteCommandBus(settings.url(), CommandWire.internalToken(secrets), settings.timeout());
    }
}
