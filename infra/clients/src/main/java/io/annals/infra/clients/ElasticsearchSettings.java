package io.annals.infra.clients;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code annals.elasticsearch.*}: where Elasticsearch is, and the timeouts after which a read model is unavailable. */
@ConfigurationProperties("annals.elasticsearch")
public record ElasticsearchSettings(String url, @DefaultValue("PT2S") Duration connectTimeout,
                                    @DefaultValue("PT5S") Duration requestTimeout) {
}
