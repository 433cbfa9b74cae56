package io.annals.infra.stack;

/** The addresses and credentials of the running components, embedded or external. */
public record StackEndpoints(String postgresUrl, String postgresUser, String postgresPassword, String kafkaBootstrap,
                             String elasticsearchUrl, String s3Endpoint, String s3AccessKey, String s3SecretKey,
                             String s3Region) {
}
