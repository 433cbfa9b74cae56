package io.annals.infra.clients;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code annals.s3.*}: the S3 endpoint, credentials and bucket. The socket timeout is per read, so a large upload that
 * keeps moving is not cut off.
 */
@ConfigurationProperties("annals.s3")
public record S3Settings(String endpoint, String region, String accessKey, String secretKey,
                         @DefaultValue("annals") String bucket, @DefaultValue("PT2S") Duration connectTimeout,
                         @DefaultValue("PT10S") Duration socketTimeout) {
}
