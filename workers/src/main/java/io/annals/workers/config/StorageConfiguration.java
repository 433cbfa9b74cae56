package io.annals.workers.config;

import io.annals.workers.storage.ArtifactStore;
import io.annals.workers.storage.S3ArtifactStore;
import java.net.URI;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 adapter: batches and model artifacts, on the embedded S3 server or an external one. */
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {

    @Bean(destroyMethod = "close")
    S3Client s3Client(@Value("${annals.s3.endpoint}") String endpoint, @Value("${annals.s3.region}") String region,
                      @Value("${annals.s3.access-key}") String accessKey,
                      @Value("${annals.s3.secret-key}") String secretKey,
                      @Value("${annals.s3.connect-timeout:PT2S}") Duration connectTimeout,
                      @Value("${annals.s3.socket-timeout:PT10S}") Duration socketTimeout) {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey,
                        secretKey)))
                .forcePathStyle(true)
                // an S3 that is down or stalled fails a request in seconds; the socket timeout is per read, so a
                // large upload that keeps moving is not cut off
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(connectTimeout)
                        .socketTimeout(socketTimeout).build())
                .build();
    }

    @Bean
    ArtifactStore artifactStore(S3Client s3, @Value("${annals.s3.bucket}") String bucket) {
        S3ArtifactStore store = new S3ArtifactStore(s3, bucket);
        store.createBucketIfMissing();
        return store;
    }
}
