package io.annals.app.graphql;

import java.util.concurrent.Executor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.graphql.data.method.HandlerMethodArgumentResolver;
import org.springframework.graphql.data.method.HandlerMethodArgumentResolverComposite;
import org.springframework.graphql.data.method.annotation.support.AnnotatedControllerConfigurer;
import org.springframework.graphql.data.method.annotation.support.ArgumentMethodArgumentResolver;

/**
 * The configurer of the annotated controllers, as Spring Boot declares it (the application's conversion service for
 * the binder, the application's task executor, every {@link HandlerMethodArgumentResolver} bean), with one change: the
 * {@code @Argument} parameters are bound by {@link InputBinder}, which works out once per parameter what Spring's
 * resolver works out on every call, in the same place among the resolvers. Boot's own configurer steps back for this
 * bean.
 */
@Configuration(proxyBeanMethods = false)
class ControllerConfiguration {

    @Bean
    AnnotatedControllerConfigurer annotatedControllerConfigurer(
            @Qualifier("applicationTaskExecutor") ObjectProvider<Executor> executor,
            ObjectProvider<HandlerMethodArgumentResolver> argumentResolvers) {
        AnnotatedControllerConfigurer configurer = new PlannedArgumentsConfigurer();
        configurer.configureBinder(options -> options.conversionService(ApplicationConversionService
                .getSharedInstance()));
        executor.ifAvailable(configurer::setExecutor);
        argumentResolvers.orderedStream().forEach(configurer::addCustomArgumentResolver);
        return configurer;
    }

    /** Spring's resolvers in Spring's order, its {@code @Argument} resolver replaced by an {@link InputBinder}. */
    static final class PlannedArgumentsConfigurer extends AnnotatedControllerConfigurer {
        @Override
        protected HandlerMethodArgumentResolverComposite initArgumentResolvers() {
            HandlerMethodArgumentResolverComposite resolvers = new HandlerMethodArgumentResolverComposite();
            for (HandlerMethodArgumentResolver resolver : super.initArgumentResolvers().getResolvers()) {
                resolvers.addResolver(resolver.getClass() == ArgumentMethodArgumentResolver.class
                        ? new InputBinder(((ArgumentMethodArgumentResolver) resolver).getArgumentBinder())
                        : resolver);
            }
            return resolvers;
        }

        /** The resolver the controllers' {@code parameter} is bound by. */
        HandlerMethodArgumentResolver resolverOf(MethodParameter parameter) {
            return getArgumentResolvers().getArgumentResolver(parameter);
        }
    }
}
