package io.annals.infra.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded stack alone, for several Annals processes to share on one machine: starts PostgreSQL, Kafka,
 * Elasticsearch and the S3 server under a data directory, writes their addresses to {@code stack.properties} there,
 * and runs until it is stopped (SIGTERM or Ctrl-C stop every server). Each process then starts in external mode with
 * {@code --spring.config.import=file:<dir>/stack.properties --annals.stack.mode=external}, and the roles it runs.
 */
public final class StackOnly {

    private static final Logger log = LoggerFactory.getLogger(StackOnly.class);
    public static final String PROPERTIES = "stack.properties";

    private StackOnly() {
    }

    public static void main(String[] args) throws InterruptedException {
        String env = System.getenv("ANNALS_STACK_DATA_DIR");
        Path dataDir = Path.of(args.length > 0 ? args[0] : env != null && !env.isBlank() ? env
                : System.getProperty("annals.stack.data-dir", "annals-data"));
        EmbeddedStack stack = EmbeddedStack.start(StackSettings.allEmbedded(dataDir));
        Path file = writeProperties(dataDir, stack.endpoints());
        log.info("The stack is ready for Annals processes: start each with --spring.config.import=file:{} "
                + "--annals.stack.mode=external --annals.roles=<roles>. Ctrl-C stops the stack.", file);
        new CountDownLatch(1).await();
    }

    /**
     * Writes the settings that point a process at this stack, owner-readable only (they hold credentials): the
     * servers' addresses, and the platform's sealing key and generated token files kept beside them, so that every
     * process of the platform shares them.
     */
    public static Path writeProperties(Path dataDir, StackEndpoints endpoints) {
        Path root = dataDir.toAbsolutePath().normalize();
        Properties properties = new Properties();
        for (Map.Entry<String, String> e : endpoints.platformProperties().entrySet()) {
            properties.setProperty(e.getKey(), e.getValue());
        }
        properties.setProperty("annals.secrets.key-file", root.resolve("secrets.key").toString());
        properties.setProperty("annals.security.token-file", root.resolve("admin.token").toString());
        Path file = root.resolve(PROPERTIES);
        try {
            Path temporary = Files.createTempFile(root, "." + PROPERTIES, ".new",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(temporary)) {
                properties.store(out, "Annals embedded stack: import with --spring.config.import=file:" + file);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
