package io.annals.query.elastic;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Elasticsearch adapter: the client the projections and query handlers share. */
@Configuration(proxyBeanMethods = false)
public class ElasticsearchConfiguration {

    @Bean(destroyMethod = "close")
    RestClient elasticsearchRestClient(@Value("${annals.elasticsearch.url}") String url,
                                       @Value("${annals.elasticsearch.connect-timeout:PT2S}") Duration connect,
                                       @Value("${annals.elasticsearch.request-timeout:PT5S}") Duration request) {
        // a stopped or stalled Elasticsearch fails a call within these, instead of hanging a query
        return RestClient.builder(HttpHost.create(url))
                .setRequestConfigCallback(config -> config.setConnectTimeout((int) connect.toMillis())
                        .setConnectionRequestTimeout((int) connect.toMillis())
                        .setSocketTimeout((int) request.toMillis()))
                .build();
    }

    /** Documents are written with the same JSON mapping as events (ISO-8601 instants). */
    @Bean
    ElasticsearchClient elasticsearchClient(RestClient rest, @Qualifier("defaultAxonObjectMapper") ObjectMapper json) {
        return new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper(json)));
    }

    @Bean
    Documents documents(ElasticsearchClient client) {
        return new Documents(client);
    }
}
