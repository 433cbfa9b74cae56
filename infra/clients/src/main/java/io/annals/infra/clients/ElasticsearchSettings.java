package io.annals.infra.clients;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code annals.elasticsearch.*}: where Elasticsearch is, the timeouts after which a read model is unavailable, and
 * how soon a write shows in searches ({@code refresh-interval}). Left unset, the read models take Elasticsearch's
 * default: a refresh every second while the index is searched, and none while nobody searches it (30 s without a
 * search), the first search after that refreshing it and waiting, so it still sees every write. That is the cheap
 * choice for a log written all day and searched now and then: under a steady load of commands, refreshing every 200 ms
 * took about a third of Elasticsearch's CPU (CommandScaleBenchmarkIT). A read of one entity (a mutation's payload,
 * {@code dataset(name)}) never waits for a refresh either way.
 */
@ConfigurationProperties("annals.elasticsearch")
public record ElasticsearchSettings(String url, @DefaultValue("PT2S") Duration connectTimeout,
                                    @DefaultValue("PT5S") Duration requestTimeout, Duration refreshInterval) {

    public ElasticsearchSettings {
        if (refreshInterval != null && (refreshInterval.isNegative() || refreshInterval.isZero())) {
            throw new IllegalArgumentException("annals.elasticsearch.refresh-interval must be positive, got "
                    + refreshInterval);
        }
    }
}
