package io.annals.query.elastic;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
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

    @Bean
    ElasticsearchClient elasticsearchClient(RestClient rest) {
        var mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        return new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper(mapper)));
    }

    @Bean
    Documents documents(ElasticsearchClient client) {
        return new Documents(client);
    }
}
