package io.annals.infra.stack;

import java.util.LinkedHashMap;
import java.util.Map;

/** The addresses and credentials of the running components, embedded or external. */
public record StackEndpoints(String postgresUrl, String postgresUser, String postgresPassword, String kafkaBootstrap,
                             String elasticsearchUrl, String s3Endpoint, String s3AccessKey, String s3SecretKey,
                             String s3Region) {

    /** The platform's settings that point it at these components ({@code annals.postgres.url}, ...). */
    public Map<String, String> platformProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("annals.postgres.url", postgresUrl);
        properties.put("annals.postgres.user", postgresUser);
        properties.put("annals.postgres.password", postgresPassword);
        properties.put("annals.kafka.bootstrap-servers", kafkaBootstrap);
        properties.put("annals.elasticsearch.url", elasticsearchUrl);
        properties.put("annals.s3.endpoint", s3Endpoint);
        properties.put("annals.s3.access-key", s3AccessKey);
        properties.put("annals.s3.secret-key", s3SecretKey);
        properties.put("annals.s3.region", s3Region);
        return properties;
    }
}
