package io.annals.app.cluster;

import io.annals.app.records.RemoteRecords;
import io.annals.infra.clients.SecretBox;
import java.time.Duration;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The sending end of the command port and of the record reads, imported by RolesConfiguration into a process without
 * the command role; Axon's own command bus steps aside for this one. (The receiving ends, {@link CommandEndpoint} and
 * {@code RecordEndpoint}, are controllers of command processes.) No {@code @Configuration} here, so that component
 * scanning does not pick it up everywhere.
 */
@EnableConfigurationProperties(CommandSettings.class)
public class RemoteCommandConfiguration {

    /** A read of the record (a principal's access, a dataset's schema) is small: it may take this long at most. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    @Bean
    CommandBus commandBus(CommandSettings settings, SecretBox secrets) {
        return new RemoteCommandBus(new CommandProcesses(settings.url(), CommandWire.internalToken(secrets),
                settings.timeout()));
    }

    /** Declared here, so that a process of workers only, which configures nothing else of Axon, has one too. */
    @Bean
    CommandGateway commandGateway(CommandBus commandBus) {
        return DefaultCommandGateway.builder().commandBus(commandBus).build();
    }

    @Bean
    RemoteRecords commandRecords(CommandSettings settings, SecretBox secrets) {
        return new RemoteRecords(new CommandProcesses(settings.url(), CommandWire.internalToken(secrets),
                READ_TIMEOUT.compareTo(settings.timeout()) < 0 ? READ_TIMEOUT : settings.timeout()));
    }
}
