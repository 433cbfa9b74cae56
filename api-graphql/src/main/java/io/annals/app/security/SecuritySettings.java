package io.annals.app.security;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code annals.security.*}: the bearer tokens and the principal each stands for, the principals that may run
 * operations, and where a generated token is kept when none is configured.
 */
@ConfigurationProperties("annals.security")
public record SecuritySettings(Map<String, String> tokens, @DefaultValue("admin") Set<String> admins,
                               Path tokenFile) {

    public SecuritySettings {
        tokens = tokens == null ? Map.of() : Map.copyOf(tokens);
        admins = Set.copyOf(admins);
    }
}
