package io.annals.app.limits;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * Wires {@link QueryLimits} into the GraphQL engine, the HTTP endpoint and the WebSocket container, and the cache of
 * parsed documents into the engine.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueryLimits.class)
public class LimitsConfiguration {

    /** Spring for GraphQL adds every Instrumentation bean to the engine, so queries and subscriptions share it. */
    @Bean
    QueryLimitsInstrumentation queryLimitsInstrumentation(QueryLimits limits) {
        return new QueryLimitsInstrumentation(limits);
    }

    @Bean
    ParsedDocuments parsedDocuments(QueryLimits limits) {
        return new ParsedDocuments(limits.parsedDocuments());
    }

    @Bean
    GraphQlSourceBuilderCustomizer parsedDocumentCache(ParsedDocuments documents) {
        return builder -> builder.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(documents));
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> graphQlBodyLimit(QueryLimits limits) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestBodyLimitFilter(limits.maxBodyBytes()));
        registration.addUrlPatterns("/graphql");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** A subscription message larger than the body limit closes its WebSocket (status 1009, message too big). */
    @Bean
    ServletServerContainerFactoryBean webSocketContainer(QueryLimits limits) {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(limits.maxBodyBytes());
        container.setMaxBinaryMessageBufferSize(limits.maxBodyBytes());
        return container;
    }
}
