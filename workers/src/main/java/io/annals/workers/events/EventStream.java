package io.annals.workers.events;

import io.annals.command.api.common.EventTypes;
import io.annals.command.api.common.KafkaTopics;
import io.annals.infra.clients.KafkaClients;
import io.annals.infra.clients.WireJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code annals.events} and then follows it, so a worker rebuilds the state it needs (which runs are open,
 * which model each endpoint serves, each version's baseline) at every start. With {@link WorkerSnapshots}, a start
 * delivers the events of the worker's latest snapshot and reads on from where that snapshot was taken, so it does not
 * grow with the history; without one (or with none written yet) it reads from the beginning. Events are delivered
 * at least once; this stream drops repeats by event id, across a snapshot too. Not thread-safe: one polling thread,
 * which also offers the snapshots ({@link #offerSnapshot}) after applying what it polled.
 */
public final class EventStream implements EventSource {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    private static final int REMEMBERED_IDS = 200_000;
    /** Ids a snapshot carries: more than the Kafka publisher can send again after a crash (one batch). */
    private static final int RECENT_IDS = 2_000;

    private final String name;
    private final KafkaConsumer<String, byte[]> consumer;
    private Map<TopicPartition, Long> endAtStart;
    private final Map<String, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_IDS;
        }
    };
    private boolean caughtUp;
    private long replayed;
    private final WorkerSnapshots snapshots;
    /** The last ids seen, newest last, written in each snapshot so that a republished event is dropped after it. */
    private final java.util.ArrayDeque<String> recentIds = new java.util.ArrayDeque<>();
    private List<EventEnvelope> fromSnapshot = List.of();
    private List<TopicPartition> partitions = List.of();
    private long sinceSnapshot;
    private long lastSnapshotNanos = System.nanoTime();

    public EventStream(KafkaClients kafka, String name) {
        this(kafka, name, null);
    }

    /** {@code snapshots} null: no snapshots, every start reads from the beginning. */
    public EventStream(KafkaClients kafka, String name, WorkerSnapshots snapshots) {
        this.name = name;
        this.snapshots = snapshots;
        consumer = kafka.consumer(name, null);
    }

    /** Assigns every partition from the beginning, once the topic exists. */
    private boolean assigned() {
        if (endAtStart != null) {
            return true;
        }
        List<TopicPartition> partitions = consumer.partitionsFor(KafkaTopics.EVENTS, Duration.ofSeconds(5))
                .stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        if (partitions.isEmpty()) {
            log.info("{}: waiting for topic {}", name, KafkaTopics.EVENTS);
            return false;
        }
        consumer.assign(partitions);
        this.partitions = partitions;
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        WorkerSnapshots.Snapshot snapshot = usableSnapshot(partitions, end);
        if (snapshot == null) {
            consumer.seekToBeginning(partitions);
            log.info("{}: replaying {} from the beginning ({} events to catch up)", name, KafkaTopics.EVENTS,
                    end.values().stream().mapToLong(Long::longValue).sum());
        } else {
            long behind = 0;
            for (TopicPartition p : partitions) {
                long offset = snapshot.offsets().get(p.partition());
                consumer.seek(p, offset);
                behind += end.get(p) - offset;
            }
            snapshot.recentIds().forEach(this::remember);
            snapshot.events().forEach(e -> remember(e.eventId()));
            fromSnapshot = snapshot.events();
            log.info("{}: replaying {} from its snapshot of {} ({} events kept, {} events to catch up)", name,
                    KafkaTopics.EVENTS, snapshot.takenAt(), snapshot.events().size(), behind);
        }
        endAtStart = end;
        return true;
    }

    /** The latest snapshot, when there is one whose positions fit the topic as it is now. */
    private WorkerSnapshots.Snapshot usableSnapshot(List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        if (snapshots == null) {
            return null;
        }
        try {
            WorkerSnapshots.Snapshot snapshot = snapshots.latest(name).orElse(null);
            if (snapshot == null) {
                return null;
            }
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
            boolean fits = snapshot.offsets().size() == partitions.size() && partitions.stream().allMatch(p -> {
                Long offset = snapshot.offsets().get(p.partition());
                return offset != null && offset >= beginning.get(p) && offset <= end.get(p);
            });
            if (!fits) {
                log.warn("{}: its snapshot of {} does not fit {} as it is now (partitions or offsets changed); "
                        + "replaying from the beginning", name, snapshot.takenAt(), KafkaTopics.EVENTS);
                return null;
            }
            return snapshot;
        } catch (RuntimeException e) {
            log.warn("{}: its snapshot could not be read ({}); replaying from the beginning", name, e.toString());
            return null;
        }
    }

    private void remember(String id) {
        if (seen.put(id, Boolean.TRUE) == null) {
            recentIds.addLast(id);
            if (recentIds.size() > RECENT_IDS) {
                recentIds.removeFirst();
            }
        }
    }

    /**
     * Called by the worker after it applied everything it polled: when a snapshot is due (caught up, and {@code
     * every} has passed with something read, or {@code everyEvents} were read), writes where this stream has read
     * to, with the events {@code retained} says the state rests on.
     */
    @Override
    public void offerSnapshot(java.util.function.Supplier<List<EventEnvelope>> retained) {
        if (snapshots == null || !caughtUp || sinceSnapshot == 0) {
            return;
        }
        long now = System.nanoTime();
        if (sinceSnapshot < snapshots.everyEvents() && now - lastSnapshotNanos < snapshots.every().toNanos()) {
            return;
        }
        Map<Integer, Long> offsets = new java.util.HashMap<>();
        for (TopicPartition p : partitions) {
            offsets.put(p.partition(), consumer.position(p, Duration.ofSeconds(5)));
        }
        snapshots.write(new WorkerSnapshots.Snapshot(name, Instant.now(), offsets, List.copyOf(recentIds),
                retained.get()));
        sinceSnapshot = 0;
        lastSnapshotNanos = now;
    }

    @Override
    public boolean caughtUp() {
        return caughtUp;
    }

    @Override
    public List<EventEnvelope> poll(Duration timeout) {
        List<EventEnvelope> events = new ArrayList<>();
        if (!assigned()) {
            return events;
        }
        if (!fromSnapshot.isEmpty()) {
            events.addAll(fromSnapshot);
            fromSnapshot = List.of();
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            decode(record).ifPresent(events::add);
        }
        sinceSnapshot += events.size();
        if (!caughtUp) {
            replayed += events.size();
            caughtUp = endAtStart.entrySet().stream()
                    .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            if (caughtUp) {
                log.info("{}: caught up after replaying {} events", name, replayed);
            }
        }
        return events;
    }

    private java.util.Optional<EventEnvelope> decode(ConsumerRecord<String, byte[]> record) {
        String id = header(record, KafkaTopics.HEADER_EVENT_ID);
        String type = header(record, KafkaTopics.HEADER_EVENT_TYPE);
        if (id == null || type == null || seen.containsKey(id)) {
            return java.util.Optional.empty();
        }
        remember(id);
        var javaType = EventTypes.typeOf(type);
        if (javaType.isEmpty()) {
            log.debug("{}: skipping event type {} this version does not know", name, type);
            return java.util.Optional.empty();
        }
        try {
            Object payload = WireJson.mapper().readValue(record.value(), javaType.get());
            return java.util.Optional.of(new EventEnvelope(id, type, record.key(), timestamp(record),
                    header(record, KafkaTopics.HEADER_ACTOR), header(record, KafkaTopics.HEADER_CORRELATION_ID),
                    payload));
        } catch (IOException e) {
            log.error("{}: cannot decode event {} of type {}: {}", name, id, type, e.toString());
            return java.util.Optional.empty();
        }
    }

    /** A header of an {@code annals.events} record as text, or null when it has none. */
    public static String header(ConsumerRecord<?, ?> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** When the event of a record happened: its timestamp header, or the record's own time for older records. */
    public static Instant timestamp(ConsumerRecord<?, ?> record) {
        String timestamp = header(record, KafkaTopics.HEADER_TIMESTAMP);
        return timestamp == null ? Instant.ofEpochMilli(record.timestamp()) : Instant.parse(timestamp);
    }

    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
