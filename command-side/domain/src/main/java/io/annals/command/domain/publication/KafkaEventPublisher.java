package io.annals.command.domain.publication;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.command.api.common.EventTypes;
import io.annals.command.api.common.KafkaTopics;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.common.WireName;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;

/**
 * Publishes every stored event to {@code annals.events}, keyed by aggregate id so that one aggregate's events stay
 * in order. It runs as a tracking processor whose token lives in PostgreSQL: an event is acknowledged by Kafka
 * before the token moves past it, so delivery is at least once, and a restart resumes where it stopped instead of
 * publishing everything again. Consumers deduplicate by the event id header.
 *
 * <p>When Kafka fails in the middle of a batch, the processor retries the whole batch; the events of it that Kafka
 * already acknowledged are remembered here and not sent again, so an outage leaves each event on the topic once.
 * Only a crash between Kafka's acknowledgement and the token's commit can still repeat an event.
 */
@ProcessingGroup(KafkaEventPublisher.PROCESSING_GROUP)
public final class KafkaEventPublisher {

    public static final String PROCESSING_GROUP = "kafka-publisher";

    private static final int REMEMBERED = 10_000;

    private final Producer<String, byte[]> producer;
    private final ObjectMapper json;
    private final Map<String, Boolean> acknowledged = Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            });

    public KafkaEventPublisher(Producer<String, byte[]> producer, ObjectMapper json) {
        this.producer = producer;
        this.json = json;
    }

    @EventHandler
    void on(Object payload, EventMessage<?> event, TrackingToken token) throws JsonProcessingException,
            InterruptedException, ExecutionException, TimeoutException {
        if (acknowledged.containsKey(event.getIdentifier())) {
            return;
        }
        WireName type = EventTypes.wireName(payload.getClass());
        String aggregateId = event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier()
                : event.getIdentifier();
        RecordHeaders headers = new RecordHeaders();
        header(headers, KafkaTopics.HEADER_EVENT_TYPE, type.name());
        header(headers, KafkaTopics.HEADER_SCHEMA_VERSION, Integer.toString(type.schemaVersion()));
        header(headers, KafkaTopics.HEADER_EVENT_ID, event.getIdentifier());
        header(headers, KafkaTopics.HEADER_AGGREGATE_ID, aggregateId);
        if (event instanceof DomainEventMessage<?> domain) {
            header(headers, KafkaTopics.HEADER_SEQUENCE, Long.toString(domain.getSequenceNumber()));
        }
        header(headers, KafkaTopics.HEADER_TIMESTAMP, event.getTimestamp().toString());
        if (token != null && token.position().isPresent()) {
            header(headers, KafkaTopics.HEADER_POSITION, Long.toString(token.position().getAsLong()));
        }
        header(headers, KafkaTopics.HEADER_ACTOR, (String) event.getMetaData().get(MetadataKeys.ACTOR));
        header(headers, KafkaTopics.HEADER_CORRELATION_ID,
                (String) event.getMetaData().get(MetadataKeys.CORRELATION_ID));
        header(headers, KafkaTopics.HEADER_CAUSATION_ID, (String) event.getMetaData().get(MetadataKeys.CAUSATION_ID));
        var record = new ProducerRecord<>(KafkaTopics.EVENTS, null, event.getTimestamp().toEpochMilli(), aggregateId,
                json.writeValueAsBytes(payload), headers);
        producer.send(record).get(130, TimeUnit.SECONDS);
        acknowledged.put(event.getIdentifier(), Boolean.TRUE);
    }

    private static void header(RecordHeaders headers, String key, String value) {
        if (value != null) {
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
