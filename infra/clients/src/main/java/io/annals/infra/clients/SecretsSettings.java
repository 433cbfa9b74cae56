package io.annals.infra.clients;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code annals.secrets.*}: the platform's sealing key, 32 bytes as base64 in {@code key} (every process of one
 * platform needs the same), or else read from {@code key-file}, which is created with a new random key (readable by
 * its owner only) when it does not exist. The embedded stack keeps it in its data directory.
 */
@ConfigurationProperties("annals.secrets")
public record SecretsSettings(String key, @DefaultValue("annals-data/secrets.key") Path keyFile) {
}
