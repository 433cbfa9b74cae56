package io.annals.infra.clients;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The typed settings of each backend, and the one Kafka client factory every role uses. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({KafkaSettings.class, ElasticsearchSettings.class, S3Settings.class,
        SecretsSettings.class})
public class ClientsConfiguration {

    @Bean
    KafkaClients kafkaClients(KafkaSettings settings) {
        return new KafkaClients(settings);
    }

    @Bean
    SecretBox secretBox(SecretsSettings settings) {
        return SecretBox.of(settings);
    }
}
