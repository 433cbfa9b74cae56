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
 * Reads {@code annals.events} from the beginning and then follows it, so a worker rebuilds the state it needs
 * (which runs are open, which model each endpoint serves, each version's baseline) at every start. Events are
 * delivered at least once; this stream drops repeats by event id. Not thread-safe: one polling thread.
 */
public final class EventStream implements EventSource {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    private static final int REMEMBERED_IDS = 200_000;

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

    public EventStream(KafkaClients kafka, String name) {
        this.name = name;
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
        consumer.seekToBeginning(partitions);
        endAtStart = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        log.info("{}: replaying {} from the beginning ({} events to catch up)", name, KafkaTopics.EVENTS,
                endAtStart.values().stream().mapToLong(Long::longValue).sum());
        return true;
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
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            decode(record).ifPresent(events::add);
        }
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
        if (id == null || type == null || seen.put(id, Boolean.TRUE) != null) {
            return java.util.Optional.empty();
        }
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
