package io.annals.workers.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.command.api.common.EventTypes;
import io.annals.command.api.common.KafkaTopics;
import io.annals.infra.clients.KafkaClients;
import io.annals.infra.clients.WireJson;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of the workers' state on the compacted topic {@code annals.worker-snapshots}, one record per worker
 * kind (its {@link EventStream}'s name): where it had read {@code annals.events} to, the ids of the last events it
 * saw (to drop a republished one), and the events its state still rests on ({@link RetainedEvents}). Kafka keeps
 * the latest record of each kind, so a start reads a few records, whatever the history's length. Any process running
 * the worker may write it: each snapshot is one process's state at one position, and the latest one wins.
 */
public final class WorkerSnapshots implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerSnapshots.class);
    private static final ObjectMapper JSON = WireJson.mapper();

    /** What a worker kind had read and what its state rests on. */
    public record Snapshot(String worker, Instant takenAt, Map<Integer, Long> offsets, List<String> recentIds,
                           List<EventEnvelope> events) {
    }

    /** How an event is kept in a snapshot: its envelope, with its payload as JSON. */
    private record Kept(String eventId, String type, String aggregateId, Instant timestamp, String actor,
                        String correlationId, JsonNode payload) {
    }

    private record Stored(String worker, Instant takenAt, Map<Integer, Long> offsets, List<String> recentIds,
                          List<Kept> events) {
    }

    private final KafkaClients kafka;
    private final Duration every;
    private final int everyEvents;
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private final java.util.Set<String> written = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private Producer<String, byte[]> producer;

    /**
     * @param every       a worker that is caught up writes a snapshot at most this often, when it has read anything
     * @param everyEvents ... or sooner, after this many events (a long replay is written once it is done)
     */
    public WorkerSnapshots(KafkaClients kafka, Duration every, int everyEvents) {
        this.kafka = kafka;
        this.every = every;
        this.everyEvents = everyEvents;
        kafka.ensureTopics(List.of(new KafkaClients.TopicSpec(KafkaTopics.WORKER_SNAPSHOTS, 1, null, true)),
                Duration.ofSeconds(30));
    }

    Duration every() {
        return every;
    }

    int everyEvents() {
        return everyEvents;
    }

    /** Records read first from the end of the topic: several kinds and processes write there every half minute. */
    static final int FIRST_WINDOW = 16;

    /**
     * The latest snapshot of the worker kind, or empty when there is none (or it cannot be read). The topic is read
     * from its end backwards, in windows that grow fourfold ({@link #FIRST_WINDOW} records first), until a window
     * holds one of this kind: a start reads the few latest snapshots, however many the topic has kept.
     */
    public Optional<Snapshot> latest(String worker) {
        TopicPartition partition = new TopicPartition(KafkaTopics.WORKER_SNAPSHOTS, 0);
        byte[] latest = null;
        try (KafkaConsumer<String, byte[]> consumer = kafka.rangeReader(worker + "-snapshot-reader")) {
            consumer.assign(List.of(partition));
            long begin = consumer.beginningOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            long upper = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            long window = FIRST_WINDOW;
            while (latest == null && upper > begin) {
                long lower = Math.max(begin, upper - window);
                consumer.seek(partition, lower);
                while (consumer.position(partition, Duration.ofSeconds(30)) < upper) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                        if (record.offset() < upper && worker.equals(record.key())) {
                            latest = record.value();
                        }
                    }
                }
                upper = lower;
                window *= 4;
            }
        }
        if (latest == null) {
            return Optional.empty();
        }
        try {
            Stored stored = JSON.readValue(latest, Stored.class);
            List<EventEnvelope> events = new ArrayList<>(stored.events().size());
            for (Kept kept : stored.events()) {
                Optional<Class<?>> type = EventTypes.typeOf(kept.type());
                if (type.isEmpty()) {
                    continue; // a type this version does not know: a full replay would skip it too
                }
                events.add(new EventEnvelope(kept.eventId(), kept.type(), kept.aggregateId(), kept.timestamp(),
                        kept.actor(), kept.correlationId(), JSON.treeToValue(kept.payload(), type.get())));
            }
            return Optional.of(new Snapshot(stored.worker(), stored.takenAt(), stored.offsets(), stored.recentIds(),
                    events));
        } catch (IOException e) {
            log.warn("The snapshot of {} cannot be read ({}); it replays annals.events from the beginning", worker,
                    e.toString());
            return Optional.empty();
        }
    }

    /** Sends the snapshot; a failure is logged (the next one is tried at its time) and costs only a longer start. */
    public void write(Snapshot snapshot) {
        byte[] value;
        try {
            List<Kept> events = snapshot.events().stream().map(e -> new Kept(e.eventId(), e.type(), e.aggregateId(),
                    e.timestamp(), e.actor(), e.correlationId(), JSON.valueToTree(e.payload()))).toList();
            value = JSON.writeValueAsBytes(new Stored(snapshot.worker(), snapshot.takenAt(), snapshot.offsets(),
                    snapshot.recentIds(), events));
        } catch (IOException | IllegalArgumentException e) {
            log.warn("The snapshot of {} cannot be written as JSON: {}", snapshot.worker(), e.toString());
            return;
        }
        if (value.length > KafkaClients.MAX_COMPACTED_RECORD_BYTES - 1024) {
            if (failureLogged.compareAndSet(false, true)) {
                log.warn("The snapshot of {} is {} bytes, more than a record may hold; it is not written, and a start "
                        + "replays annals.events", snapshot.worker(), value.length);
            }
            return;
        }
        synchronized (this) {
            if (producer == null) {
                producer = kafka.largeRecordProducer("worker-snapshots");
            }
        }
        producer.send(new ProducerRecord<>(KafkaTopics.WORKER_SNAPSHOTS, snapshot.worker(), value), (meta, error) -> {
            if (error != null && failureLogged.compareAndSet(false, true)) {
                log.warn("A snapshot of {} was not written ({}); the next one is tried at its time", snapshot.worker(),
                        error.toString());
            } else if (error == null) {
                failureLogged.set(false);
                // the first of each worker at INFO, so a person sees that snapshots are written; the rest at DEBUG
                if (written.add(snapshot.worker())) {
                    log.info("Snapshot of {} written: {} events kept, {} bytes (then every {} with news)",
                            snapshot.worker(), snapshot.events().size(), value.length, every);
                } else {
                    log.debug("Snapshot of {} written: {} events kept, {} bytes", snapshot.worker(),
                            snapshot.events().size(), value.length);
                }
            }
        });
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
