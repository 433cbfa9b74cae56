package io.annals.workers.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code annals.workers.*}: the settings of every worker role, and the local scratch space they share (uploads being
 * checked, training data, unpacked models).
 */
@ConfigurationProperties("annals.workers")
public record WorkerSettings(Path workDir, @DefaultValue Training training, @DefaultValue Serving serving,
                             @DefaultValue Drift drift, @DefaultValue Webhooks webhooks,
                             @DefaultValue Snapshots snapshots) {

    /**
     * Whether workers keep snapshots of their state (on {@code annals.worker-snapshots}) and start from them; how
     * often a caught-up worker writes one when it has read anything; and after how many events it writes one
     * sooner.
     */
    public record Snapshots(@DefaultValue("true") boolean enabled, @DefaultValue("PT30S") Duration every,
                            @DefaultValue("5000") int everyEvents) {
    }

    /**
     * Each worker's id; how long it holds a run or a training-set job without reporting progress before another may
     * take it; and how many rows each sort of a point-in-time join holds in memory before it spills to disk.
     */
    public record Training(@DefaultValue("local") String workerId, @DefaultValue("PT2M") Duration lease,
                           @DefaultValue("100000") int joinRowsInMemory) {
    }

    /**
     * How many predictors each served model version makes when loaded, and how many at most when requests arrive
     * together (requests to one version run that many at a time); and how many mirrored requests may wait for a
     * shadow before more are skipped; the share of rows whose input features are logged with their score for
     * the drift monitor (1: every row, 0: none); and the largest body a prediction request may have (a larger one is
     * refused with 413 before it is read further).
     */
    public record Serving(@DefaultValue("2") int predictorsPerModel, @DefaultValue("16") int maxPredictorsPerModel,
                          @DefaultValue("256") int shadowQueue, @DefaultValue("1.0") double featureSampleRate,
                          @DefaultValue("33554432") int maxBodyBytes, @DefaultValue DataPlane dataPlane) {

        public Serving {
            if (!(featureSampleRate >= 0 && featureSampleRate <= 1)) {
                throw new IllegalArgumentException("annals.workers.serving.feature-sample-rate must be in [0, 1], got "
                        + featureSampleRate);
            }
            if (maxBodyBytes < 1024) {
                throw new IllegalArgumentException("annals.workers.serving.max-body-bytes must be at least 1024, got "
                        + maxBodyBytes);
            }
        }
    }

    /**
     * The data plane's own listener ({@code io.annals.workers.serving.DataPlaneServer}): the prediction routes of both
     * APIs on a port of their own, served by a thread per connection without the servlet container. {@code port}: 0
     * for any free port, -1 for none (the routes still answer on the main port); {@code address}: empty for the main
     * port's ({@code server.address}); at most {@code maxConnections} open at once (one more is answered 503 and
     * closed); a kept-alive connection with no request for {@code idleTimeout} is closed, and a request whose head is
     * not whole within {@code readTimeout}, or whose body stalls that long, is answered 408 and closed.
     */
    public record DataPlane(@DefaultValue("8081") int port, @DefaultValue("") String address,
                            @DefaultValue("256") int maxConnections, @DefaultValue("PT60S") Duration idleTimeout,
                            @DefaultValue("PT30S") Duration readTimeout) {

        public DataPlane {
            if (port < -1 || port > 65_535) {
                throw new IllegalArgumentException("annals.workers.serving.data-plane.port must be -1 (none), 0 (any) "
                        + "or a port, got " + port);
            }
            if (maxConnections < 1 || maxConnections > 10_000) {
                throw new IllegalArgumentException("annals.workers.serving.data-plane.max-connections must be between "
                        + "1 and 10000, got " + maxConnections);
            }
            if (idleTimeout.toMillis() < 1 || readTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("annals.workers.serving.data-plane.idle-timeout and read-timeout "
                        + "must be at least 1 ms, got " + idleTimeout + " and " + readTimeout);
            }
        }
    }

    /**
     * How webhooks are delivered: attempts per event, the backoff between them (doubling up to the maximum), the time
     * allowed to connect and to answer, and the CloudEvents {@code source} of every event.
     */
    public record Webhooks(@DefaultValue("8") int maxAttempts, @DefaultValue("PT1S") Duration initialBackoff,
                           @DefaultValue("PT1M") Duration maxBackoff, @DefaultValue("PT2S") Duration connectTimeout,
                           @DefaultValue("PT5S") Duration timeout, @DefaultValue("urn:annals") String source) {

        public Webhooks {
            if (maxAttempts < 1 || maxAttempts > 100) {
                throw new IllegalArgumentException("annals.workers.webhooks.max-attempts must be 1 to 100, got "
                        + maxAttempts);
            }
        }
    }

    /** Drift settings of endpoints that were not configured with {@code configureDriftMonitor}. */
    public record Drift(@DefaultValue("0.2") double defaultPsiThreshold, @DefaultValue("500") int defaultWindowSize,
                        @DefaultValue("900") int defaultWindowSeconds) {

        public io.annals.command.api.endpoint.DriftMonitorSettings defaults() {
            return io.annals.command.api.endpoint.DriftMonitorSettings.of(defaultPsiThreshold, defaultWindowSize,
                    defaultWindowSeconds, null, null);
        }
    }
}
