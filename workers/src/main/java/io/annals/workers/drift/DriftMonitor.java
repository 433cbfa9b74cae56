package io.annals.workers.drift;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.KafkaTopics;
import io.annals.command.api.common.ScoreRecord;
import io.annals.command.api.drift.DriftAlertEscalated;
import io.annals.command.api.drift.DriftAlertRaised;
import io.annals.command.api.drift.DriftAlertResolved;
import io.annals.command.api.drift.RaiseDriftAlert;
import io.annals.command.api.endpoint.DriftMonitorConfigured;
import io.annals.command.api.model.ModelVersionEvaluated;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.endpoint.RecordShadowComparison;
import io.annals.command.api.trainingrun.TrainingRunCompleted;
import io.annals.infra.clients.WireJson;
import io.annals.workers.events.EventEnvelope;
import io.annals.workers.events.EventSource;
import io.annals.workers.events.RetainedEvents;
import io.annals.workers.port.CommandPort;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
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
 * Compares live inputs and scores with each model version's references: it follows the event log and
 * {@code annals.scores}, lets {@link DriftDetector} decide, and raises the alerts it decides on. The offset it commits
 * on {@code annals.scores} is where its oldest open window starts, with a {@link WindowCheckpoint} as the offset's
 * metadata, so that a monitor that starts again (or takes a partition over) rebuilds its open windows from the log
 * and counts each row once.
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
    private final Counter rows;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final RetainedEvents retained = new RetainedEvents();
    private boolean checkpointTooLargeLogged;
    private Instant lastCommit = Instant.EPOCH;
    private final Duration commitInterval;
    /**
     * How often the checkpoint is committed while rows arrive. Each commit is a round trip to Kafka's group
     * coordinator and a write to its offsets log; at a thousand scored requests a second a poll holds a few rows, and
     * committing after every poll, as this once did, kept the broker's coordinator threads six times busier (98 ms of
     * CPU in 6 s, against 16 ms committing once a second, in the serving benchmark's scheduler trace). A monitor
     * that dies reads at most this much again from the last checkpoint: its windows are rebuilt the same, and an
     * alert it raised meanwhile is open by then, so it is not raised twice. A monitor that stops, or gives a
     * partition up, commits at once (the rebalance listener).
     */
    public static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
    /** While no rows arrive: windows closed by time still move the checkpoint on. */
    static final Duration QUIET_COMMIT_INTERVAL = Duration.ofSeconds(5);

    public DriftMonitor(EventSource events, Consumer<String, byte[]> scores, CommandPort commands,
                        DriftDetector detector, MeterRegistry meters) {
        this(events, scores, commands, detector, meters, COMMIT_INTERVAL);
    }

    /** @param commitInterval how often the checkpoint is committed while rows arrive ({@link #COMMIT_INTERVAL}) */
    public DriftMonitor(EventSource events, Consumer<String, byte[]> scores, CommandPort commands,
                        DriftDetector detector, MeterRegistry meters, Duration commitInterval) {
        this.commitInterval = commitInterval;
        this.events = events;
        this.scores = scores;
        this.commands = commands;
        this.detector = detector;
        this.meters = meters;
        this.rows = Counter.builder("annals.drift.rows").description("Scored rows the drift monitor has read")
                .register(meters);
        detector.onWindow(this::closed);
        scores.subscribe(List.of(KafkaTopics.SCORES), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                try {
                    commit(partitions);
                } catch (RuntimeException e) {
                    // the open windows are rebuilt from the last checkpoint that was committed
                    log.warn("Drift monitor: last checkpoint of {} not committed: {}", partitions, e.toString());
                }
                partitions.forEach(p -> detector.forget(p.partition()));
                assigned.removeAll(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                resume(partitions);
            }
        });
    }

    private void closed(DriftDetector.ClosedWindow window) {
        if (window.scorePsi() == null) {
            return;
        }
        lastPsi.computeIfAbsent(new Target(window.endpoint(), window.model(), window.version()), t -> {
            AtomicLong bits = new AtomicLong();
            Gauge.builder("annals.drift.psi", bits, b -> Double.longBitsToDouble(b.get()))
                    .description("PSI of the last window of live scores against the version's baseline")
                    .tags("endpoint", t.endpoint(), "model", t.model(), "version", Integer.toString(t.version()))
                    .register(meters);
            return bits;
        }).set(Double.doubleToLongBits(window.scorePsi()));
    }

    /** Rebuilds the open windows of newly assigned partitions from their committed checkpoints. */
    private void resume(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = scores.committed(new HashSet<>(partitions),
                Duration.ofSeconds(30));
        for (TopicPartition partition : partitions) {
            assigned.add(partition);
            OffsetAndMetadata at = committed.get(partition);
            WindowCheckpoint checkpoint = at == null ? null : WindowCheckpoint.decode(at.metadata());
            if (checkpoint == null) {
                detector.forget(partition.partition());
                continue;
            }
            detector.resume(partition.partition(), checkpoint);
            if (checkpoint.position() > at.offset()) {
                log.info("Drift monitor: rebuilding {} open window(s) of {} from offset {} (read up to {} before)",
                        checkpoint.starts().size(), partition, at.offset(), checkpoint.position());
            }
        }
    }

    /**
     * Keeps the events the detector's state rests on (see {@link DriftDetector#apply}): each version's references
     * (the profile of the run that made it, its registration, its evaluations), each endpoint's latest settings,
     * and the alerts still open.
     */
    static void retain(RetainedEvents retained, EventEnvelope e) {
        Object event = e.payload();
        if (event instanceof TrainingRunCompleted c && c.profile() != null) {
            retained.add("run-profile:" + c.runId().value(), e);
        } else if (event instanceof ModelVersionRegistered v) {
            String version = "version:" + v.model().value() + "/" + v.version();
            if (v.runId() != null) {
                retained.move("run-profile:" + v.runId().value(), version);
            }
            retained.add(version, e);
        } else if (event instanceof ModelVersionEvaluated v) {
            retained.add("version:" + v.model().value() + "/" + v.version(), e);
        } else if (event instanceof DriftMonitorConfigured c) {
            retained.set("settings:" + c.endpoint().value(), e);
        } else if (event instanceof DriftAlertRaised r) {
            retained.add("alert:" + r.alertId().value(), e);
        } else if (event instanceof DriftAlertEscalated x) {
            retained.add("alert:" + x.alertId().value(), e);
        } else if (event instanceof DriftAlertResolved r) {
            retained.remove("alert:" + r.alertId().value());
        }
    }

    public void step() {
        for (EventEnvelope e : events.poll(Duration.ofMillis(events.caughtUp() ? 20 : 200))) {
            detector.apply(e.payload());
            retain(retained, e);
        }
        events.offerSnapshot(retained::events);
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
            rows.increment();
            detector.observe(score, record.partition(), record.offset()).forEach(this::raise);
            detector.compare(score, record.partition(), record.offset()).ifPresent(this::record);
        }
        Instant now = Instant.now();
        if (records.isEmpty()) {
            // quiet: windows whose time has passed close now (rows in flight would have arrived by this poll)
            detector.expire(now).forEach(this::raise);
        }
        if (now.isAfter(lastCommit.plus(records.isEmpty() ? QUIET_COMMIT_INTERVAL : commitInterval))) {
            commit(assigned);
            lastCommit = now;
        }
    }

    /** Commits, for each partition, where its oldest open window starts, with the checkpoint as metadata. */
    private void commit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            WindowCheckpoint checkpoint = detector.checkpoint(partition.partition(), scores.position(partition));
            String metadata = checkpoint.encode();
            if (metadata == null) {
                // too many open windows to name in Kafka's metadata: keep the last checkpoint (rows after it are
                // read again after a restart, and a window that closed since may be tested twice; alerts are not
                // raised twice, an open alert absorbs them)
                if (!checkpointTooLargeLogged) {
                    checkpointTooLargeLogged = true;
                    log.warn("Drift monitor: {} open windows in {} do not fit a Kafka offset's metadata; its offset "
                            + "stays where it was until fewer are open", checkpoint.starts().size(), partition);
                }
                continue;
            }
            offsets.put(partition, new OffsetAndMetadata(checkpoint.offset(), metadata));
        }
        if (!offsets.isEmpty()) {
            scores.commitSync(offsets, Duration.ofSeconds(10));
        }
    }

    private void raise(RaiseDriftAlert alert) {
        Boolean raised = commands.send(alert, ACTOR, null);
        // open from now on, so the next windows do not ask again before the Raised event comes back
        detector.raised(alert.alertId(), alert.severity());
        if (Boolean.TRUE.equals(raised)) {
            log.warn("Drift alert raised for endpoint {} model '{}' version {}: {} drifted ({}, {})",
                    alert.endpoint(), alert.model(), alert.version(),
                    alert.finding() == null ? "the score" : alert.finding().subject(),
                    alert.finding() == null ? "PSI " + alert.psi() : alert.finding().test(), alert.severity());
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

    /** Closing the consumer gives its partitions up, which commits their checkpoints (the rebalance listener). */
    @Override
    public void close() {
        events.close();
        scores.close(Duration.ofSeconds(5));
    }
}
