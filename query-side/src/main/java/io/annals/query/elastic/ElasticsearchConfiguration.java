package io.annals.query.elastic;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.command.api.audit.AuditEntry;
import io.annals.infra.clients.ElasticsearchSettings;
import io.annals.infra.clients.WireJson;
import io.annals.query.audit.AuditDocument;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Elasticsearch adapter: the client the projections and query handlers share. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ElasticsearchSettings.class)
public class ElasticsearchConfiguration {

    @Bean(destroyMethod = "close")
    RestClient elasticsearchRestClient(ElasticsearchSettings settings) {
        int connect = (int) settings.connectTimeout().toMillis();
        // a stopped or stalled Elasticsearch fails a call within these, instead of hanging a query
        return RestClient.builder(HttpHost.create(settings.url()))
                .setRequestConfigCallback(config -> config.setConnectTimeout(connect)
                        .setConnectionRequestTimeout(connect)
                        .setSocketTimeout((int) settings.requestTimeout().toMillis()))
                // the client puts every node in an authentication cache for preemptive basic authentication, and
                // Apache's cache deserialises (Java serialisation) the node's scheme on every request: a third of
                // the client's own time for a small read. Annals sends Elasticsearch no credentials, so there is
                // nothing to cache
                .setHttpClientConfigCallback(client -> client.disableAuthCaching())
                .build();
    }

    /**
     * Read models are written and read with the JSON of the wire (records, ISO-8601 instants); an audit entry keeps its
     * payload as the JSON it is ({@link AuditDocument}).
     */
    @Bean
    ElasticsearchClient elasticsearchClient(RestClient rest) {
        return new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper(readModelMapper())));
    }

    /** The mapper read models are written and read with. */
    public static ObjectMapper readModelMapper() {
        return WireJson.newMapper().addMixIn(AuditEntry.class, AuditDocument.class);
    }

    @Bean
    Documents documents(ElasticsearchClient client, ElasticsearchSettings settings) {
        return new Documents(client, settings.refreshInterval());
    }
}
