package io.annals.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddedStackTest {

    /** Not JUnit's @TempDir: that is private to root, and Elasticsearch runs as another user when we are root. */
    private Path data;

    @BeforeEach
    void createDataDirectory() throws Exception {
        data = Files.createTempDirectory("annals-stack-test",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    @AfterEach
    void deleteDataDirectory() throws Exception {
        try (var paths = Files.walk(data)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void givenAStoppedStack_whenStartedAgainOnTheSameDirectory_thenItsDataIsStillThereAndNoProcessIsLeft()
            throws Exception {
        StackEndpoints first;
        List<Long> pids;
        try (EmbeddedStack stack = EmbeddedStack.start(StackSettings.allEmbedded(data))) {
            first = stack.endpoints();
            try (Connection c = DriverManager.getConnection(first.postgresUrl(), first.postgresUser(),
                    first.postgresPassword())) {
                c.createStatement().execute("create table kept(v text)");
                c.createStatement().execute("insert into kept values ('still here')");
            }
            try (Admin admin = Admin.create(adminConfig(first.kafkaBootstrap()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(first.elasticsearchUrl()
                            + "/kept")).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(index.statusCode()).as(index.body()).isEqualTo(200);
            HttpResponse<String> s3 = http.send(HttpRequest.newBuilder(URI.create(first.s3Endpoint())).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(s3.statusCode()).as("S3 answers, refusing an unsigned request").isEqualTo(403);
            pids = childPids();
            assertThat(pids).hasSize(2);
        }
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("process %d after stop", pid).isEmpty());

        try (EmbeddedStack stack = EmbeddedStack.start(StackSettings.allEmbedded(data))) {
            StackEndpoints second = stack.endpoints();
            try (Connection c = DriverManager.getConnection(second.postgresUrl(), second.postgresUser(),
                    second.postgresPassword());
                 ResultSet rs = c.createStatement().executeQuery("select v from kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("still here");
            }
            try (Admin admin = Admin.create(adminConfig(second.kafkaBootstrap()))) {
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertThat(topics).contains("kept");
            }
            HttpResponse<String> index = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(second.elasticsearchUrl() + "/kept")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(index.statusCode()).isEqualTo(200);
        }
    }

    private List<Long> childPids() throws Exception {
        return List.of(
                Long.parseLong(Files.readString(data.resolve("kafka/kafka.pid")).trim()),
                Long.parseLong(Files.readString(data.resolve("elasticsearch/elasticsearch.pid")).trim()));
    }

    private static Properties adminConfig(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }
}
