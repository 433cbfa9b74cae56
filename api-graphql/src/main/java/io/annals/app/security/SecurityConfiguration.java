package io.annals.app.security;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecuritySettings.class)
public class SecurityConfiguration {

    @Bean
    TokenRegistry tokenRegistry(SecuritySettings settings) {
        return new TokenRegistry(settings.tokens(), settings.tokenFile());
    }

    @Bean
    AuthInterceptor authInterceptor(TokenRegistry tokens) {
        return new AuthInterceptor(tokens);
    }

    @Bean
    FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(TokenRegistry tokens) {
        FilterRegistrationBean<BearerTokenFilter> registration = new FilterRegistrationBean<>(
                new BearerTokenFilter(tokens));
        registration.addUrlPatterns("/v1/*", "/actuator/*");
        return registration;
    }
}
