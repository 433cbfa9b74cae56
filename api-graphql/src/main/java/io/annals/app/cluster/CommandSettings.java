package io.annals.app.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code annals.command.*}: where a process without the command role sends its commands.
 *
 * @param url     base URLs of processes with the command role (comma separated), for example
 *                {@code http://annals-command-0:8080,http://annals-command-1:8080}; taken in turn, and a process
 *                that cannot be reached is skipped
 * @param timeout how long a command may take before it is reported as unavailable
 */
@ConfigurationProperties("annals.command")
public record CommandSettings(List<URI> url, @DefaultValue("PT60S") Duration timeout) {

    public CommandSettings {
        url = url == null ? List.of() : List.copyOf(url);
    }
}
