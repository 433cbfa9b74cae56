package io.annals.infra.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elasticsearch from the distribution zip Maven downloaded, run as a child process. Elasticsearch refuses to run
 * as root, so when this JVM is root it runs under a dedicated system user that owns its home, data and logs.
 */
final class ElasticsearchServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ElasticsearchServer.class);
    static final String SYSTEM_USER = "annals-es";

    private final ChildProcess process;
    private final String url;

    private ElasticsearchServer(ChildProcess process, String url) {
        this.process = process;
        this.url = url;
    }

    static ElasticsearchServer start(Path directory, Path logDirectory, Duration timeout) {
        try {
            Properties artifacts = new Properties();
            try (InputStream in = ElasticsearchServer.class.getResourceAsStream("artifacts.properties")) {
                artifacts.load(in);
            }
            String version = artifacts.getProperty("elasticsearch.version");
            Path zip = Path.of(artifacts.getProperty("elasticsearch.zip"));
            Path home = directory.resolve("elasticsearch-" + version);
            unpackOnce(zip, home);
            Path data = Files.createDirectories(directory.resolve("data"));
            Path logs = Files.createDirectories(directory.resolve("logs"));
            Path tmp = Files.createDirectories(directory.resolve("tmp"));
            // Elasticsearch binds free ports itself (port 0) and writes the ones it got to logs/http.ports
            Path portsFile = logs.resolve("http.ports");
            Files.deleteIfExists(portsFile);
            Files.writeString(home.resolve("config/elasticsearch.yml"), String.join("\n",
                    "# written by the Annals embedded stack at every start",
                    "cluster.name: annals",
                    "node.name: annals-embedded",
                    "discovery.type: single-node",
                    "network.host: 127.0.0.1",
                    "http.port: 0",
                    "transport.port: 0",
                    "node.portsfile: true",
                    "path.data: " + data,
                    "path.logs: " + logs,
                    "xpack.security.enabled: false",
                    "action.destructive_requires_name: false",
                    "cluster.routing.allocation.disk.threshold_enabled: false",
                    ""));
            List<String> command = new ArrayList<>();
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                ensureSystemUser();
                chown(directory);
                requireTraversable(directory);
                command.addAll(List.of("setpriv", "--reuid=" + SYSTEM_USER, "--regid=" + SYSTEM_USER,
                        "--init-groups", "--"));
            }
            command.add(home.resolve("bin/elasticsearch").toString());
            Map<String, String> env = Map.of(
                    "ES_JAVA_HOME", System.getProperty("java.home"),
                    "ES_JAVA_OPTS", "-Xms512m -Xmx512m",
                    "ES_TMPDIR", tmp.toString());
            ChildProcess process = ChildProcess.start("Elasticsearch", command, env, home,
                    directory.resolve("elasticsearch.pid"), logDirectory.resolve("elasticsearch.log"));
            long deadline = System.nanoTime() + timeout.toNanos();
            String address = awaitPortsFile(process, portsFile, deadline, timeout);
            ElasticsearchServer server = new ElasticsearchServer(process, "http://" + address);
            server.awaitReady(deadline, timeout);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch did not start in " + directory, e);
        }
    }

    private static void unpackOnce(Path zip, Path home) throws IOException {
        Path done = home.resolve(".unpacked");
        if (Files.exists(done)) {
            return;
        }
        if (!Files.exists(zip)) {
            throw new IllegalStateException("Elasticsearch distribution not found at " + zip
                    + ": build infra/stack with Maven first");
        }
        log.info("Unpacking Elasticsearch from {}", zip);
        Files.createDirectories(home);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                String name = entry.getName();
                int slash = name.indexOf('/');
                if (slash < 0 || slash == name.length() - 1) {
                    continue;
                }
                Path target = home.resolve(name.substring(slash + 1)).normalize();
                if (!target.startsWith(home)) {
                    throw new IOException("zip entry escapes the target directory: " + name);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    if (name.contains("/bin/") || name.contains("/native/") || name.endsWith(".sh")) {
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
        }
        Files.writeString(done, zip.toString());
    }

    private static void ensureSystemUser() throws IOException {
        if (run(List.of("id", "-u", SYSTEM_USER)) == 0) {
            return;
        }
        log.info("Creating system user '{}' to run Elasticsearch, which refuses to run as root", SYSTEM_USER);
        int status = run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                SYSTEM_USER));
        if (status != 0 && run(List.of("id", "-u", SYSTEM_USER)) != 0) {
            throw new IllegalStateException("could not create system user " + SYSTEM_USER
                    + " (useradd exited " + status + "); create it, or run the platform as a non-root user");
        }
    }

    private static void chown(Path directory) throws IOException {
        int status = run(List.of("chown", "-R", SYSTEM_USER + ":" + SYSTEM_USER, directory.toString()));
        if (status != 0) {
            throw new IllegalStateException("could not give " + directory + " to " + SYSTEM_USER);
        }
    }

    /** Every directory above the data must be enterable by the Elasticsearch user, or it cannot reach its files. */
    private static void requireTraversable(Path directory) throws IOException {
        int status = run(List.of("setpriv", "--reuid=" + SYSTEM_USER, "--regid=" + SYSTEM_USER, "--init-groups",
                "--", "test", "-w", directory.toString()));
        if (status != 0) {
            throw new IllegalStateException("user " + SYSTEM_USER + " (Elasticsearch refuses to run as root) cannot "
                    + "reach " + directory + ": choose a data directory whose parents others may enter, not one "
                    + "under /root, e.g. ANNALS_STACK_DATA_DIR=/var/tmp/annals-data");
        }
    }

    private static int run(List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
    }

    /** The HTTP address Elasticsearch bound, from the ports file it writes once it listens. */
    private static String awaitPortsFile(ChildProcess process, Path portsFile, long deadline, Duration timeout)
            throws IOException {
        while (true) {
            process.requireAlive();
            if (Files.exists(portsFile)) {
                List<String> lines = Files.readAllLines(portsFile).stream().map(String::trim)
                        .filter(l -> !l.isEmpty()).toList();
                String ipv4 = lines.stream().filter(l -> l.startsWith("127.0.0.1:")).findFirst().orElse(null);
                if (ipv4 != null) {
                    return ipv4;
                }
            }
            if (System.nanoTime() > deadline) {
                process.close();
                throw new IllegalStateException("Elasticsearch did not open its HTTP port within " + timeout);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.close();
                throw new IllegalStateException("interrupted while waiting for Elasticsearch", e);
            }
        }
    }

    private void awaitReady(long deadline, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(
                        URI.create(url + "/_cluster/health?wait_for_status=yellow&timeout=2s"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        while (true) {
            process.requireAlive();
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for Elasticsearch", e);
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("Elasticsearch was not ready at " + url + " after " + timeout);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for Elasticsearch", e);
            }
        }
    }

    String url() {
        return url;
    }

    @Override
    public void close() {
        process.close();
    }
}
