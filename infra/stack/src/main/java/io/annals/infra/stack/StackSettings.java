package io.annals.infra.stack;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the stack keeps its data and which components are external. A component whose address is null is
 * started embedded; one with an address is used as it is.
 *
 * @param dataDirectory  every embedded component keeps its data below this directory, which survives restarts
 * @param postgres       JDBC URL, user and password of an external PostgreSQL, or null
 * @param kafkaBootstrap bootstrap servers of an external Kafka, or null
 * @param elasticsearch  base URL of an external Elasticsearch, or null
 * @param s3             endpoint and credentials of an external S3, or null
 */
public record StackSettings(Path dataDirectory, External postgres, String kafkaBootstrap, String elasticsearch,
                            S3 s3) {

    public StackSettings {
        Objects.requireNonNull(dataDirectory, "data directory is required");
        dataDirectory = dataDirectory.toAbsolutePath().normalize();
    }

    public static StackSettings allEmbedded(Path dataDirectory) {
        return new StackSettings(dataDirectory, null, null, null, null);
    }

    public record External(String url, String user, String password) {
    }

    public record S3(String endpoint, String accessKey, String secretKey, String region) {
    }
}
