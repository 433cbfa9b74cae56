package io.annals.query.elastic;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    RestClient elasticsearchRestClient(@Value("${annals.elasticsearch.url}") String url) {
        return RestClient.builder(HttpHost.create(url)).build();
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
