package io.annals.workers.drift;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.KafkaTopics;
import io.annals.command.api.common.ScoreRecord;
import io.annals.command.api.drift.RaiseDriftAlert;
import io.annals.command.api.endpoint.RecordShadowComparison;
import io.annals.infra.clients.WireJson;
import io.annals.workers.events.EventEnvelope;
import io.annals.workers.events.EventSource;
import io.annals.workers.port.CommandPort;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares live scores with each model version's validation baseline: it follows the event log and
 * {@code annals.scores}, lets {@link DriftDetector} decide, and raises the alerts it decides on.
 */
public final class DriftMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DriftMonitor.class);
    private static final Actor ACTOR = Actor.service("drift-monitor");

    private final EventSource events;
    private final Consumer<String, byte[]> scores;
    private final CommandPort commands;
    private final DriftDetector detector;

    private record Target(String endpoint, String model, int version) {
    }

    private final MeterRegistry meters;
    /** The last PSI of each endpoint and version, read by the {@code annals.drift.psi} gauges. */
    private final Map<Target, AtomicLong> lastPsi = new ConcurrentHashMap<>();

    public DriftMonitor(EventSource events, Consumer<String, byte[]> scores, CommandPort commands,
                        DriftDetector detector, MeterRegistry meters) {
        this.events = events;
        this.scores = scores;
        this.commands = commands;
        this.detector = detector;
        this.meters = meters;
        detector.onWindow(this::psi);
        scores.subscribe(List.of(KafkaTopics.SCORES));
    }

    private void psi(String endpoint, String model, int version, double psi) {
        lastPsi.computeIfAbsent(new Target(endpoint, model, version), t -> {
            AtomicLong bits = new AtomicLong();
            Gauge.builder("annals.drift.psi", bits, b -> Double.longBitsToDouble(b.get()))
                    .description("PSI of the last full window of live scores against the version's baseline")
                    .tags("endpoint", t.endpoint(), "model", t.model(), "version", Integer.toString(t.version()))
                    .register(meters);
            return bits;
        }).set(Double.doubleToLongBits(psi));
    }

    public void step() {
        for (EventEnvelope e : events.poll(Duration.ofMillis(events.caughtUp() ? 20 : 200))) {
            detector.apply(e.payload());
        }
        if (!events.caughtUp()) {
            return;
        }
        var records = scores.poll(Duration.ofMillis(200));
        for (ConsumerRecord<String, byte[]> record : records) {
            ScoreRecord score;
            try {
                score = WireJson.mapper().readValue(record.value(), ScoreRecord.class);
            } catch (IOException e) {
                log.warn("skipping an unreadable score record at offset {}: {}", record.offset(), e.toString());
                continue;
            }
            detector.observe(score).ifPresent(this::raise);
            detector.compare(score).ifPresent(this::record);
        }
        if (!records.isEmpty()) {
            scores.commitSync();
        }
    }

    private void raise(RaiseDriftAlert alert) {
        Boolean raised = commands.send(alert, ACTOR, null);
        // open from now on, so the next windows do not ask again before the Raised event comes back
        detector.raised(alert.alertId());
        if (Boolean.TRUE.equals(raised)) {
            log.warn("Drift alert raised for endpoint {} model '{}' version {}: PSI {} > {}", alert.endpoint(),
                    alert.model(), alert.version(), alert.psi(), alert.threshold());
        }
    }

    private void record(RecordShadowComparison comparison) {
        try {
            commands.send(comparison, ACTOR, null);
        } catch (RuntimeException refused) {
            log.warn("Shadow comparison {} of endpoint {} not recorded: {}", comparison.windowId(),
                    comparison.endpoint(), refused.getMessage());
        }
    }

    public void wakeup() {
        events.wakeup();
        scores.wakeup();
    }

    @Override
    public void close() {
        events.close();
        scores.close(Duration.ofSeconds(5));
    }
}
