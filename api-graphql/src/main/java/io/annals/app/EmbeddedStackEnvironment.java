package io.annals.app;

import io.annals.infra.clients.AnnalsRoles;
import io.annals.infra.stack.EmbeddedStack;
import io.annals.infra.stack.StackEndpoints;
import io.annals.infra.stack.StackSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Before the application context starts (and after logging is set up, so each component's ready line is seen): unless {@code annals.stack.mode=external}, start the embedded stack (one
 * per JVM) and point the platform at it. A component that is configured explicitly ({@code annals.postgres.url},
 * {@code annals.kafka.bootstrap-servers}, {@code annals.elasticsearch.url}, {@code annals.s3.endpoint}) is used as
 * it is and not started. Then, whatever the mode, leave out the auto-configuration that the process's roles do not
 * use (see {@code exclude}).
 */
public class EmbeddedStackEnvironment implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment env = event.getEnvironment();
        String mode = env.getProperty("annals.stack.mode", "embedded");
        Map<String, Object> properties = new LinkedHashMap<>();
        if ("embedded".equals(mode)) {
            StackSettings settings = new StackSettings(Path.of(env.getProperty("annals.stack.data-dir",
                    "annals-data")),
                    env.containsProperty("annals.postgres.url") ? new StackSettings.External(
                            env.getProperty("annals.postgres.url"), env.getProperty("annals.postgres.user"),
                            env.getProperty("annals.postgres.password")) : null,
                    env.getProperty("annals.kafka.bootstrap-servers"),
                    env.getProperty("annals.elasticsearch.url"),
                    env.containsProperty("annals.s3.endpoint") ? new StackSettings.S3(
                            env.getProperty("annals.s3.endpoint"), env.getProperty("annals.s3.access-key"),
                            env.getProperty("annals.s3.secret-key"), env.getProperty("annals.s3.region",
                            "us-east-1")) : null);
            StackEndpoints stack = EmbeddedStack.shared(settings).endpoints();
            properties.putAll(stack.platformProperties());
            properties.put("annals.workers.work-dir", settings.dataDirectory().resolve("work").toString());
            properties.put("annals.security.token-file", settings.dataDirectory().resolve("admin.token").toString());
            properties.put("annals.secrets.key-file", settings.dataDirectory().resolve("secrets.key").toString());
            env.getPropertySources().addFirst(new MapPropertySource("annals-embedded-stack", properties));
        } else if (!"external".equals(mode)) {
            throw new IllegalArgumentException("annals.stack.mode must be 'embedded' or 'external', not '" + mode
                    + "'");
        }
        List<String> excluded = new ArrayList<>();
        if (!AnnalsRoles.usesEventStore(env)) {
            excluded.addAll(JDBC_AUTO_CONFIGURATION);
        }
        if (!AnnalsRoles.runs(env, "api")) {
            excluded.addAll(GRAPHQL_AUTO_CONFIGURATION);
        }
        if (!AnnalsRoles.usesAxon(env)) {
            // Axon's own: every auto-configuration Axon's jars declare, whatever their version names
            ImportCandidates.load(AutoConfiguration.class, event.getSpringApplication().getClassLoader()).getCandidates()
                    .stream().filter(c -> c.startsWith("org.axonframework.")).forEach(excluded::add);
        }
        if (!excluded.isEmpty()) {
            exclude(env, excluded);
        }
    }

    /** Spring Boot's JDBC auto-configuration, which a process without the event store does not run. */
    static final List<String> JDBC_AUTO_CONFIGURATION = List.of(
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JndiDataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.XADataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration");

    /** Spring for GraphQL's auto-configuration, which a process without the api role does not run. */
    static final List<String> GRAPHQL_AUTO_CONFIGURATION = List.of(
            "org.springframework.boot.graphql.autoconfigure.GraphQlAutoConfiguration",
            "org.springframework.boot.graphql.autoconfigure.data.GraphQlQueryByExampleAutoConfiguration",
            "org.springframework.boot.graphql.autoconfigure.data.GraphQlQuerydslAutoConfiguration",
            "org.springframework.boot.graphql.autoconfigure.observation.GraphQlObservationAutoConfiguration",
            "org.springframework.boot.graphql.autoconfigure.security.GraphQlWebMvcSecurityAutoConfiguration",
            "org.springframework.boot.graphql.autoconfigure.servlet.GraphQlWebMvcAutoConfiguration");

    /**
     * What a process's roles leave out: with neither the command nor the query role it opens no database (no
     * DataSource, no pool, no PostgreSQL settings needed: the record is read through a command process); without the
     * api role it builds no GraphQL schema; with none of the three (workers only) it configures nothing of Axon but
     * the command port's gateway. Added to any exclusions already set.
     */
    private static void exclude(ConfigurableEnvironment env, List<String> autoConfiguration) {
        List<String> excluded = new ArrayList<>(autoConfiguration);
        String given = env.getProperty("spring.autoconfigure.exclude");
        if (given != null && !given.isBlank()) {
            excluded.addAll(0, List.of(given.split("\\s*,\\s*")));
        }
        env.getPropertySources().addFirst(new MapPropertySource("annals-roles",
                Map.of("spring.autoconfigure.exclude", String.join(",", excluded))));
    }

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }
}
