package io.annals.infra.clients;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code annals.kafka.*}: where Kafka is, and how long any request to it may take before it fails (a send that
 * cannot be acknowledged in that time is retried by the idempotent producer until {@code deliveryTimeout}).
 */
@ConfigurationProperties("annals.kafka")
public record KafkaSettings(String bootstrapServers, @DefaultValue("PT10S") Duration requestTimeout,
                            @DefaultValue("PT2M") Duration deliveryTimeout) {

    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("annals.kafka.bootstrap-servers is not set");
        }
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Duration.ofSeconds(10), Duration.ofMinutes(2));
    }
}
