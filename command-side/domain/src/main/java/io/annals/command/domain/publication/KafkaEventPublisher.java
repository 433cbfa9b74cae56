package io.annals.command.domain.publication;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.command.api.common.EventTypes;
import io.annals.command.api.common.KafkaTopics;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.common.WireName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Publishes every stored event to {@code annals.events}, keyed by aggregate id so that one aggregate's events stay
 * in order. It runs as a tracking processor whose token lives in PostgreSQL: an event is acknowledged by Kafka
 * before the token moves past it, so delivery is at least once, and a restart resumes where it stopped instead of
 * publishing everything again. Consumers deduplicate by the event id header.
 *
 * <p>The events of one batch of the processor are handed to the producer together and awaited together, in order,
 * before the batch's token is stored (in its unit of work's prepare-commit phase): the producer sends them in one
 * request where it can, where sending them one by one cost a round trip to the broker, and a request on the broker,
 * for every event. The producer is idempotent with one request in flight, so it retries in order and one partition's
 * events reach it in the order they were handed over.
 *
 * <p>When Kafka fails in the middle of a batch, the processor retries the whole batch; the events of it that Kafka
 * already acknowledged are remembered here and not sent again, so an outage leaves each event on the topic once.
 * Only a crash between Kafka's acknowledgement and the token's commit can still repeat an event. An event Kafka
 * refuses for good (larger than the broker accepts, say) holds the processor at its batch, as it did when every
 * event was awaited alone, but events handed over after it in the same batch may already be on the topic.
 */
@ProcessingGroup(KafkaEventPublisher.PROCESSING_GROUP)
public final class KafkaEventPublisher {

    public static final String PROCESSING_GROUP = "kafka-publisher";

    private static final int REMEMBERED = 10_000;
    /** The unit-of-work resource that holds a batch's sends. */
    private static final String PENDING = KafkaEventPublisher.class.getName() + ".pending";
    /** Longer than the producer's delivery timeout, which ends every send first. */
    private static final long ACKNOWLEDGEMENT_TIMEOUT_SECONDS = 130;

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
    void on(Object payload, EventMessage<?> event, TrackingToken token, UnitOfWork<?> unitOfWork)
            throws JsonProcessingException {
        String id = event.getIdentifier();
        if (acknowledged.containsKey(id)) {
            return;
        }
        WireName type = EventTypes.wireName(payload.getClass());
        String aggregateId = event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : id;
        RecordHeaders headers = new RecordHeaders();
        header(headers, KafkaTopics.HEADER_EVENT_TYPE, type.name());
        header(headers, KafkaTopics.HEADER_SCHEMA_VERSION, Integer.toString(type.schemaVersion()));
        header(headers, KafkaTopics.HEADER_EVENT_ID, id);
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
        Future<RecordMetadata> sent = producer.send(record, (metadata, failure) -> {
            if (failure == null) {
                acknowledged.put(id, Boolean.TRUE);
            }
        });
        UnitOfWork<?> batch = unitOfWork.root();
        batch.<List<Sent>>getOrComputeResource(PENDING, key -> {
            List<Sent> pending = new ArrayList<>();
            batch.onPrepareCommit(u -> awaitAll(pending));
            return pending;
        }).add(new Sent(id, sent));
    }

    /** Waits for Kafka's acknowledgement of each event handed over in a batch; the first failure fails the batch. */
    private static void awaitAll(List<Sent> pending) {
        for (Sent sent : pending) {
            try {
                sent.future().get(ACKNOWLEDGEMENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka to acknowledge event "
                        + sent.eventId(), e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Kafka did not acknowledge event " + sent.eventId() + " on "
                        + KafkaTopics.EVENTS + ": " + (e instanceof ExecutionException ? e.getCause() : e), e);
            }
        }
    }

    private record Sent(String eventId, Future<RecordMetadata> future) {
    }

    private static void header(RecordHeaders headers, String key, String value) {
        if (value != null) {
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
