package io.annals.app.health;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import io.annals.command.domain.config.EventStoreRole;
import io.annals.infra.clients.KafkaClients;
import io.annals.infra.clients.S3Settings;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A health component per backend, named as the backend ({@code /actuator/health/kafka}); each answers DOWN with
 * the reason within its timeout rather than hanging the health endpoint.
 */
@Configuration(proxyBeanMethods = false)
public class BackendHealthConfiguration {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    /** Only a process that opens the event store has a database (command and query roles). */
    @Bean
    @Conditional(EventStoreRole.class)
    HealthIndicator postgres(JdbcTemplate jdbc) {
        JdbcTemplate checked = new JdbcTemplate(jdbc.getDataSource());
        checked.setQueryTimeout((int) TIMEOUT.toSeconds());
        return () -> check(() -> Health.up()
                .withDetail("version", checked.queryForObject("show server_version", String.class)));
    }

    @Bean(destroyMethod = "close")
    Admin healthKafkaAdmin(KafkaClients kafka) {
        return kafka.admin("health");
    }

    @Bean
    HealthIndicator kafka(Admin healthKafkaAdmin) {
        return () -> check(() -> Health.up().withDetail("brokers",
                healthKafkaAdmin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size()));
    }

    @Bean
    @ConditionalOnBean(ElasticsearchClient.class)
    HealthIndicator elasticsearch(ElasticsearchClient es) {
        return () -> check(() -> {
            var health = es.cluster().health(h -> h.timeout(t -> t.time(TIMEOUT.toSeconds() + "s")));
            String status = health.status().jsonValue();
            return ("red".equals(status) ? Health.down() : Health.up()).withDetail("cluster", health.clusterName())
                    .withDetail("status", status);
        });
    }

    @Bean
    HealthIndicator s3(S3Client s3, S3Settings settings) {
        String bucket = settings.bucket();
        return () -> check(() -> {
            s3.headBucket(h -> h.bucket(bucket));
            return Health.up().withDetail("bucket", bucket);
        });
    }

    private interface Check {
        Health.Builder run() throws Exception;
    }

    private static Health check(Check check) {
        try {
            return check.run().build();
        } catch (Exception e) {
            return Health.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }
}
