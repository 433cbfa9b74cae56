package io.annals.infra.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** A single-node KRaft broker in a child JVM whose classpath Maven resolved when it built infra/kafka-server. */
final class KafkaServer implements AutoCloseable {

    private static final String MAIN = "io.annals.infra.kafka.KafkaServerMain";
    private static final String CLASSPATH_RESOURCE = "/io/annals/infra/kafka/server.classpath";

    private final ChildProcess process;
    private final String bootstrap;

    private KafkaServer(ChildProcess process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    static KafkaServer start(Path directory, Path logDirectory, Duration timeout) {
        try {
            Files.createDirectories(directory);
            String classpath = classpath();
            String clusterId = clusterId(directory);
            // the controller's address must be in the configuration before it starts, so neither port can be 0
            return Ports.startOnFreePorts("Kafka", 2, ports -> {
                try {
                    String bootstrap = "127.0.0.1:" + ports[0];
                    Path config = directory.resolve("server.properties");
                    Files.writeString(config, serverProperties(directory.resolve("logs"), ports[0], ports[1]));
                    List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xms256m", "-Xmx512m",
                            "-XX:+UseSerialGC", "-cp", classpath, MAIN, config.toString(), clusterId));
                    ChildProcess process = ChildProcess.start("Kafka", command, Map.of(), directory,
                            directory.resolve("kafka.pid"), logDirectory.resolve("kafka.log"));
                    KafkaServer server = new KafkaServer(process, bootstrap);
                    server.awaitReady(timeout);
                    return server;
                } catch (IOException e) {
                    throw new UncheckedIOException("Kafka did not start in " + directory, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka did not start in " + directory, e);
        }
    }

    private static String serverProperties(Path logs, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logs.toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("log.retention.hours", "-1");
        var text = new StringBuilder("# written by the Annals embedded stack at every start\n");
        p.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString();
    }

    /** A cluster id is chosen once and kept, so the formatted log directory stays valid across restarts. */
    private static String clusterId(Path directory) throws IOException {
        Path file = directory.resolve("cluster.id");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        String id;
        do {
            UUID uuid = UUID.randomUUID();
            var buffer = java.nio.ByteBuffer.allocate(16);
            buffer.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
            // an id starting with '-' reads as an option to the storage tool (Kafka's own ids avoid it too)
        } while (id.startsWith("-"));
        Files.writeString(file, id);
        return id;
    }

    private static String classpath() throws IOException {
        try (InputStream in = KafkaServer.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + CLASSPATH_RESOURCE
                        + ": build infra/kafka-server with Maven first");
            }
            String brokerJars = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return ownLocation() + java.io.File.pathSeparator + brokerJars;
        }
    }

    private static String ownLocation() {
        try {
            var url = KafkaServer.class.getResource(CLASSPATH_RESOURCE);
            String text = url.toString();
            if (text.startsWith("jar:nested:")) {
                throw new IllegalStateException("the embedded Kafka cannot start from inside a packaged Spring Boot "
                        + "jar; start the platform with ./mvnw -Prun -DskipTests verify, or point it at a Kafka "
                        + "with annals.kafka.bootstrap-servers");
            }
            if (text.startsWith("jar:")) {
                return Path.of(new java.net.URI(text.substring(4, text.indexOf("!/")))).toString();
            }
            // target/classes: the resource sits under io/annals/infra/kafka
            return Path.of(url.toURI()).getParent().getParent().getParent().getParent().getParent().toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        try (Admin admin = Admin.create(config)) {
            while (true) {
                process.requireAlive();
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        close();
                        throw new IllegalStateException("Kafka was not ready at " + bootstrap + " after " + timeout);
                    }
                }
            }
        }
    }

    String bootstrap() {
        return bootstrap;
    }

    @Override
    public void close() {
        try {
            process.stdin().close();
        } catch (IOException ignored) {
            // the child is stopped below in any case
        }
        process.close();
    }
}
