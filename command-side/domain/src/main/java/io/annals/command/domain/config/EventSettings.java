package io.annals.command.domain.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the processes' event processors follow the log ({@code annals.events.*}); each value is checked where it is used
 * ({@link LingeringEventSource}, {@link EventLogStorageEngine}).
 *
 * @param linger       how long a processor following a steady stream waits after starting a batch before the next
 * @param readInterval the shortest time between two reads of the log's head by the event store's reader
 */
@ConfigurationProperties("annals.events")
public record EventSettings(@DefaultValue("PT0.1S") Duration linger, @DefaultValue("PT0.01S") Duration readInterval) {
}
