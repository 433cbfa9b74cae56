package io.annals.workers.config;

import io.annals.infra.clients.S3Settings;
import io.annals.workers.storage.ArtifactStore;
import io.annals.workers.storage.S3ArtifactStore;
import java.net.URI;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 adapter: batches and model artifacts, on the embedded S3 server or an external one. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(S3Settings.class)
public class StorageConfiguration {

    @Bean(destroyMethod = "close")
    S3Client s3Client(S3Settings s3) {
        return S3Client.builder()
                .endpointOverride(URI.create(s3.endpoint()))
                .region(Region.of(s3.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(),
                        s3.secretKey())))
                .forcePathStyle(true)
                // an S3 that is down or stalled fails a request in seconds; the socket timeout is per read, so a
                // large upload that keeps moving is not cut off
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(s3.connectTimeout())
                        .socketTimeout(s3.socketTimeout()).build())
                .build();
    }

    @Bean
    ArtifactStore artifactStore(S3Client s3, S3Settings settings) {
        S3ArtifactStore store = new S3ArtifactStore(s3, settings.bucket());
        store.createBucketIfMissing();
        return store;
    }
}
