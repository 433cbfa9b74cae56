package io.annals.app.security;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    TokenRegistry tokenRegistry(Environment env, @Value("${annals.work-dir}") Path workDir) {
        Map<String, String> configured = Binder.get(env)
                .bind("annals.security.tokens", Bindable.mapOf(String.class, String.class)).orElse(Map.of());
        return new TokenRegistry(configured, workDir.resolveSibling("admin.token"));
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
