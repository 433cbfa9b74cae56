package io.annals.app.limits;

import graphql.execution.instrumentation.Instrumentation;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * Wires {@link QueryLimits} into the GraphQL engine, the HTTP endpoint and the WebSocket container, and the cache of
 * parsed documents and the chain of instrumentations into the engine.
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

    /**
     * The engine's chain of instrumentations (the same beans, in the same order, as Spring for GraphQL chains) without
     * the per-field hooks none of them has: see {@link FieldHookSkippingInstrumentation}.
     */
    @Bean
    GraphQlSourceBuilderCustomizer fieldHookSkippingInstrumentation(ObjectProvider<Instrumentation> instrumentations) {
        return builder -> builder.configureGraphQl(graphQl -> {
            List<Instrumentation> chain = instrumentations.orderedStream().toList();
            if (!chain.isEmpty()) {
                graphQl.instrumentation(new FieldHookSkippingInstrumentation(chain));
            }
        });
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
