package io.annals.app.security;

import io.annals.app.records.CommandRecords;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.app.records.TrainingRunRecords;
import io.annals.workers.serving.DataPlaneServer;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecuritySettings.class)
public class SecurityConfiguration {

    @Bean
    AccessDirectory accessDirectory(CommandRecords records, SecuritySettings settings) {
        return new AccessDirectory(records, settings.accessCacheTtl(), settings.accessStaleIfUnavailable());
    }

    @Bean(destroyMethod = "close")
    TokenUsage tokenUsage(CommandRecords records) {
        return new TokenUsage(records);
    }

    @Bean
    TrainingRunRecords trainingRunRecords(CommandRecords records) {
        return new TrainingRunRecords(records);
    }

    @Bean
    Authenticator authenticator(SecuritySettings settings, AccessDirectory directory, TokenUsage usage) {
        return new Authenticator(settings, directory, usage, Clock.systemUTC());
    }

    @Bean
    AccessControl accessControl(AccessDirectory directory) {
        return new AccessControl(directory);
    }

    /** Spring for GraphQL adds every Instrumentation bean to the engine: queries, mutations and subscriptions. */
    @Bean
    AuthorizationInstrumentation authorizationInstrumentation(AccessControl access, TrainingRunRecords runs) {
        return new AuthorizationInstrumentation(access, runId -> {
            try {
                return runs.request(TrainingRunId.of(runId)).map(r -> r.model().value()).orElse(null);
            } catch (IllegalArgumentException e) {
                return null;
            }
        });
    }

    @Bean
    AuthInterceptor authInterceptor(Authenticator authenticator) {
        return new AuthInterceptor(authenticator);
    }

    /** The data plane's port checks tokens and access rules with the main port's filter. */
    @Bean
    DataPlaneServer.Admission dataPlaneAdmission(FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter) {
        return bearerTokenFilter.getFilter()::admit;
    }

    @Bean
    FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(Authenticator authenticator, AccessControl access) {
        FilterRegistrationBean<BearerTokenFilter> registration = new FilterRegistrationBean<>(
                new BearerTokenFilter(authenticator, access));
        registration.addUrlPatterns("/v1/*", "/v2", "/v2/*", "/actuator/*");
        return registration;
    }
}
