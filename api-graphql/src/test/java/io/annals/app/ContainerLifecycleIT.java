package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.app.demo.AnnalsDemo;
import io.annals.app.demo.GraphQlClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.elasticsearch.ElasticsearchContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The demo's lifecycle with every component in a container and the platform in external mode, as it runs against
 * real clusters. Skipped where no Docker engine runs; the same flow runs on the embedded stack in
 * {@link LifecycleEndToEndTest}.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerLifecycleIT {

    private static final String TOKEN = "container-token-0123456789abcdef";

    @Container
    static final PostgreSQLContainer POSTGRES = new PostgreSQLContainer("postgres:17");

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

    @Container
    static final ElasticsearchContainer ELASTICSEARCH = new ElasticsearchContainer(
            "docker.elastic.co/elasticsearch/elasticsearch:8.19.4")
            .withEnv("xpack.security.enabled", "false")
            .withEnv("ES_JAVA_OPTS", "-Xms512m -Xmx512m");

    @Container
    static final MinIOContainer S3 = new MinIOContainer("minio/minio:RELEASE.2024-12-18T13-15-44Z");

    @Test
    void givenComponentsInContainers_whenTheDemoRuns_thenTheLifecycleCompletes() throws Exception {
        Path work = Files.createTempDirectory("annals-containers");
        String[] args = {"--annals.stack.mode=external", "--annals.stack.data-dir=" + work, "--server.port=0",
                "--annals.security.tokens.tester=" + TOKEN, "--annals.security.roles.tester=admin",
                "--annals.postgres.url=" + POSTGRES.getJdbcUrl(), "--annals.postgres.user=" + POSTGRES.getUsername(),
                "--annals.postgres.password=" + POSTGRES.getPassword(),
                "--annals.kafka.bootstrap-servers=" + KAFKA.getBootstrapServers(),
                "--annals.elasticsearch.url=http://" + ELASTICSEARCH.getHttpHostAddress(),
                "--annals.s3.endpoint=" + S3.getS3URL(), "--annals.s3.region=us-east-1",
                "--annals.s3.access-key=" + S3.getUserName(), "--annals.s3.secret-key=" + S3.getPassword()};
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(AnnalsApplication.class).run(args)) {
            String url = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            AnnalsDemo.Report report = new AnnalsDemo(new GraphQlClient(url, TOKEN),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();

            assertThat(report.servedAuc()).isGreaterThan(0.9);
            assertThat(report.alertPsi()).isGreaterThan(0.2);
            assertThat(report.versionAfterRollback()).isEqualTo(1);
        } finally {
            PlatformTestSupport.deleteTree(work);
        }
    }
}
