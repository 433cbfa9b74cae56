package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.app.security.BearerTokenFilter;
import io.annals.infra.clients.AnnalsRoles;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files (infra/deploy) cannot be run on a machine without Docker or a cluster, so what can be checked
 * without one is checked here: the layout the README describes, roles this build knows, and probes on the paths that
 * answer without a token.
 */
class DeploymentFilesTest {

    private static final Path DEPLOY = Path.of("..", "infra", "deploy");

    @SuppressWarnings("unchecked")
    private static <T> T yaml(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            return (T) new Yaml().load(in);
        }
    }

    private static List<String> roles(Object value) {
        return Arrays.stream(String.valueOf(value).split(",")).map(String::trim).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenTheComposeFile_thenItRunsTheIssuesLayoutWithKnownRolesAndOneSealingKeyForAll() throws IOException {
        Map<String, Object> compose = yaml(DEPLOY.resolve("docker-compose.yml"));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Map<String, Integer> replicas = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            Map<String, Object> env = (Map<String, Object>) service.getValue().get("environment");
            if (env == null || !env.containsKey("ANNALS_ROLES")) {
                continue;
            }
            assertThat(roles(env.get("ANNALS_ROLES"))).as(service.getKey()).isSubsetOf(AnnalsRoles.KNOWN);
            assertThat(env).as(service.getKey()).containsKeys("ANNALS_SECRETS_KEY",
                    "ANNALS_KAFKA_BOOTSTRAP_SERVERS", "ANNALS_ELASTICSEARCH_URL", "ANNALS_S3_ENDPOINT");
            // the database only where the event store is opened (command or query role), and waited for there
            boolean database = roles(env.get("ANNALS_ROLES")).contains("command")
                    || roles(env.get("ANNALS_ROLES")).contains("query");
            assertThat(env.containsKey("ANNALS_POSTGRES_PASSWORD")).as(service.getKey()).isEqualTo(database);
            assertThat(env.containsKey("ANNALS_POSTGRES_URL")).as(service.getKey()).isEqualTo(database);
            assertThat(((Map<String, Object>) service.getValue().get("depends_on")).containsKey("postgres"))
                    .as(service.getKey()).isEqualTo(database);
            replicas.put(String.valueOf(env.get("ANNALS_ROLES")),
                    (Integer) ((Map<String, Object>) service.getValue().get("deploy")).get("replicas"));
            if (!roles(env.get("ANNALS_ROLES")).contains("command")) {
                // a process without the command role names where its commands go: a service that has it
                String target = URI.create(String.valueOf(env.get("ANNALS_COMMAND_URL"))).getHost();
                assertThat(target).as(service.getKey() + " ANNALS_COMMAND_URL").isNotNull();
                Map<String, Object> targetEnv = (Map<String, Object>) services.get(target).get("environment");
                assertThat(roles(targetEnv.get("ANNALS_ROLES"))).as(target).contains("command");
            }
        }
        assertThat(replicas).containsExactlyInAnyOrderEntriesOf(Map.of("api,command,query,webhook-dispatcher", 2,
                "training-worker", 2, "serving-worker", 2, "drift-monitor", 1));
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenTheKubernetesManifests_thenEachDeploymentHasKnownRolesAndProbesThatNeedNoToken() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(DEPLOY.resolve("kubernetes").resolve("annals.yaml"))) {
            new Yaml().loadAll(in).forEach(d -> documents.add((Map<String, Object>) d));
        }
        List<Map<String, Object>> deployments = documents.stream().filter(d -> "Deployment".equals(d.get("kind")))
                .toList();
        assertThat(deployments).hasSize(4);
        List<String> commandTargets = new ArrayList<>();
        List<String> commandServices = new ArrayList<>();
        for (Map<String, Object> deployment : deployments) {
            Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                    deployment.get("spec")).get("template")).get("spec");
            Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
            String name = (String) ((Map<String, Object>) deployment.get("metadata")).get("name");
            List<Map<String, Object>> env = (List<Map<String, Object>>) container.get("env");
            Object roles = env.stream().filter(e -> "ANNALS_ROLES".equals(e.get("name"))).findFirst().orElseThrow()
                    .get("value");
            assertThat(roles(roles)).as(name).isSubsetOf(AnnalsRoles.KNOWN);
            // a serving replica's data plane: the default port of annals.workers.serving.data-plane.port
            assertThat(String.valueOf(container.get("ports")).contains("containerPort=8081, name=data-plane"))
                    .as(name + " exposes the data plane").isEqualTo(roles(roles).contains("serving-worker"));
            boolean database = roles(roles).contains("command") || roles(roles).contains("query");
            assertThat(String.valueOf(container.get("envFrom")).contains("annals-database")).as(name)
                    .isEqualTo(database);
            if (!roles(roles).contains("command")) {
                Object commandUrl = env.stream().filter(e -> "ANNALS_COMMAND_URL".equals(e.get("name"))).findFirst()
                        .orElseThrow(() -> new AssertionError(name + " has no command role and no ANNALS_COMMAND_URL"))
                        .get("value");
                commandTargets.add(URI.create(String.valueOf(commandUrl)).getHost());
            } else {
                commandServices.add(String.valueOf(((Map<String, Object>) ((Map<String, Object>) deployment
                        .get("spec")).get("selector")).get("matchLabels")));
            }
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                Map<String, Object> httpGet = (Map<String, Object>) ((Map<String, Object>) container.get(probe))
                        .get("httpGet");
                assertThat(BearerTokenFilter.PROBES).as(name + " " + probe).contains((String) httpGet.get("path"));
            }
        }
        // the workers' command URL is a Service that selects the pods with the command role
        for (String target : commandTargets) {
            Map<String, Object> service = documents.stream().filter(d -> "Service".equals(d.get("kind"))
                    && target.equals(((Map<String, Object>) d.get("metadata")).get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no Service " + target));
            assertThat(commandServices).as(target).contains(String.valueOf(((Map<String, Object>) service
                    .get("spec")).get("selector")));
        }
        Map<String, Object> secret = documents.stream().filter(d -> "Secret".equals(d.get("kind"))
                && "annals".equals(((Map<String, Object>) d.get("metadata")).get("name"))).findFirst().orElseThrow();
        assertThat((Map<String, Object>) secret.get("stringData")).containsKeys("ANNALS_SECRETS_KEY",
                "ANNALS_SECURITY_TOKENS_ADMIN").doesNotContainKey("ANNALS_POSTGRES_PASSWORD");
        Map<String, Object> databaseSecret = documents.stream().filter(d -> "Secret".equals(d.get("kind"))
                && "annals-database".equals(((Map<String, Object>) d.get("metadata")).get("name"))).findFirst()
                .orElseThrow();
        assertThat((Map<String, Object>) databaseSecret.get("stringData")).containsKey("ANNALS_POSTGRES_PASSWORD");
    }

    @Test
    void givenTheImage_thenItStartsThroughTheScriptThatWritesAndUsesTheClassDataArchive() throws Exception {
        String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
        Path script = DEPLOY.resolve("annals-start.sh");
        assertThat(dockerfile).contains("-Djarmode=tools -jar /opt/annals/annals.jar extract --destination /opt/annals/app")
                .contains("COPY --chmod=755 infra/deploy/annals-start.sh /opt/annals/annals-start.sh")
                .contains("ENTRYPOINT [\"/opt/annals/annals-start.sh\"]");
        assertThat(Files.isExecutable(script)).isTrue();
        assertThat(Files.readString(script)).contains("-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile=",
                "-Dspring.context.exit=onRefresh", "/opt/annals/app/annals.jar");
        // the shell parses it (POSIX sh, as in the image)
        Process check = new ProcessBuilder("sh", "-n", script.toString()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(output).isZero();
    }
}
