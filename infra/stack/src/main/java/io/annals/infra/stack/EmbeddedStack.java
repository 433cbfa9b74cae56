package io.annals.infra.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the real components the platform needs on loopback, or uses external ones where the settings name
 * them. Components start in parallel; each logs one line with its address and start time when it is ready.
 * Everything is kept under one data directory that survives restarts, and {@link #close()} (also run on JVM
 * shutdown, so on Ctrl-C) stops every process it started.
 */
public final class EmbeddedStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration ELASTICSEARCH_TIMEOUT = Duration.ofSeconds(180);

    private static EmbeddedStack shared;

    private final StackEndpoints endpoints;
    private final Deque<AutoCloseable> started;
    private final Thread shutdownHook;

    private EmbeddedStack(StackEndpoints endpoints, Deque<AutoCloseable> started) {
        this.endpoints = endpoints;
        this.started = started;
        this.shutdownHook = new Thread(this::stopAll, "annals-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * One stack per JVM, started on first use and stopped when the JVM exits: tests and the platform share it, so
     * Elasticsearch starts once per test run.
     */
    public static synchronized EmbeddedStack shared(StackSettings settings) {
        if (shared == null) {
            shared = start(settings);
        }
        return shared;
    }

    /** Stops the shared stack, so the next {@link #shared} starts it again (a platform restart, in tests). */
    public static synchronized void stopShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    public static EmbeddedStack start(StackSettings settings) {
        Path root = settings.dataDirectory();
        Path logs = root.resolve("logs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + root, e);
        }
        log.info("Starting the embedded stack; data in {}", root);
        long begin = System.nanoTime();
        Deque<AutoCloseable> started = new ArrayDeque<>();

        CompletableFuture<String> elasticsearch = settings.elasticsearch() != null
                ? CompletableFuture.completedFuture(external("Elasticsearch", settings.elasticsearch()))
                : async("Elasticsearch", started, () -> ElasticsearchServer.start(root.resolve("elasticsearch"),
                        logs, ELASTICSEARCH_TIMEOUT), ElasticsearchServer::url);
        CompletableFuture<String> kafka = settings.kafkaBootstrap() != null
                ? CompletableFuture.completedFuture(external("Kafka", settings.kafkaBootstrap()))
                : async("Kafka", started, () -> KafkaServer.start(root.resolve("kafka"), logs, KAFKA_TIMEOUT),
                        KafkaServer::bootstrap);
        CompletableFuture<StackSettings.External> postgres = settings.postgres() != null
                ? CompletableFuture.completedFuture(settings.postgres())
                : async("PostgreSQL", started, () -> PostgresServer.start(root.resolve("postgres")),
                        p -> new StackSettings.External(p.jdbcUrl(), PostgresServer.USER, "postgres"));
        if (settings.postgres() != null) {
            external("PostgreSQL", settings.postgres().url());
        }
        CompletableFuture<StackSettings.S3> s3 = settings.s3() != null
                ? CompletableFuture.completedFuture(settings.s3())
                : async("S3", started, () -> S3Server.start(root.resolve("s3")),
                        s -> new StackSettings.S3(s.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY,
                                S3Server.REGION));
        if (settings.s3() != null) {
            external("S3", settings.s3().endpoint());
        }
        try {
            CompletableFuture.allOf(elasticsearch, kafka, postgres, s3).join();
        } catch (CompletionException e) {
            stopAll(started);
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        }
        StackSettings.External pg = postgres.join();
        StackSettings.S3 s3Endpoint = s3.join();
        StackEndpoints endpoints = new StackEndpoints(pg.url(), pg.user(), pg.password(), kafka.join(),
                elasticsearch.join(), s3Endpoint.endpoint(), s3Endpoint.accessKey(), s3Endpoint.secretKey(),
                s3Endpoint.region());
        log.info("Embedded stack ready in {} ms", (System.nanoTime() - begin) / 1_000_000);
        return new EmbeddedStack(endpoints, started);
    }

    private static String external(String component, String address) {
        log.info("{} is external at {}", component, address);
        return address;
    }

    private static <T extends AutoCloseable, R> CompletableFuture<R> async(String component,
                                                                           Deque<AutoCloseable> started,
                                                                           Supplier<T> starter,
                                                                           java.util.function.Function<T, R> address) {
        return CompletableFuture.supplyAsync(() -> {
            long begin = System.nanoTime();
            Thread.currentThread().setName("annals-stack-" + component);
            T server = starter.get();
            synchronized (started) {
                started.push(server);
            }
            R result = address.apply(server);
            log.info("{} ready at {} in {} ms", component, result instanceof StackSettings.External e ? e.url()
                    : result instanceof StackSettings.S3 s ? s.endpoint() : result,
                    (System.nanoTime() - begin) / 1_000_000);
            return result;
        }, runnable -> {
            Thread thread = new Thread(runnable);
            thread.setDaemon(true);
            thread.start();
        });
    }

    public StackEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
        stopAll();
    }

    private void stopAll() {
        stopAll(started);
    }

    private static void stopAll(Deque<AutoCloseable> started) {
        synchronized (started) {
            while (!started.isEmpty()) {
                AutoCloseable component = started.pop();
                try {
                    component.close();
                } catch (Exception e) {
                    log.warn("Stopping {} failed: {}", component.getClass().getSimpleName(), e.toString());
                }
            }
        }
        log.info("Embedded stack stopped");
    }
}
