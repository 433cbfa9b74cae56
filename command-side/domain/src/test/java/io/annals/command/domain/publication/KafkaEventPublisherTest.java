package io.annals.command.domain.publication;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.command.api.common.KafkaTopics;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetRegistered;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.infra.clients.WireJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.junit.jupiter.api.Test;

/**
 * How the publisher hands a batch to the producer and when it lets the batch commit, on Kafka's own
 * {@link MockProducer} whose sends complete when the test says. The real broker, an outage of it included, is in
 * {@code FaultToleranceIT} and every platform test that reads {@code annals.events}.
 */
class KafkaEventPublisherTest {

    private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(),
            new ByteArraySerializer());
    private final KafkaEventPublisher publisher = new KafkaEventPublisher(producer, WireJson.mapper());

    private static List<EventMessage<?>> events(String aggregate, int count) {
        List<EventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new GenericDomainEventMessage<>("Dataset", aggregate, i, new DatasetRegistered(
                    DatasetName.of("d" + i), new DatasetSchema(List.of(new ColumnSpec("x", ColumnType.DOUBLE, false))),
                    "event " + i)));
        }
        return events;
    }

    /** Runs the batch as Axon's processor does, in another thread, so that the test can complete its sends. */
    private CompletableFuture<ResultMessage<Object>> process(List<EventMessage<?>> batch) {
        return CompletableFuture.supplyAsync(() -> new BatchingUnitOfWork<>(batch).executeWithResult(() -> {
            var unitOfWork = CurrentUnitOfWork.get();
            EventMessage<?> event = (EventMessage<?>) unitOfWork.getMessage();
            publisher.on(event.getPayload(), event, null, unitOfWork);
            return null;
        }));
    }

    private void awaitSent(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (producer.history().size() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(producer.history()).hasSize(count);
    }

    @Test
    void aBatchIsHandedOverWholeInOrderAndCommitsOnlyOnceKafkaAcknowledgedAll() throws Exception {
        CompletableFuture<ResultMessage<Object>> batch = process(events("dataset:a", 3));

        // all three are with the producer before Kafka has acknowledged any
        awaitSent(3);
        assertThat(producer.history()).extracting(r -> header(r, KafkaTopics.HEADER_SEQUENCE))
                .containsExactly("0", "1", "2");
        assertThat(producer.history()).extracting(ProducerRecord::key).containsOnly("dataset:a");
        producer.completeNext();
        producer.completeNext();
        assertThat(batch).isNotDone();

        producer.completeNext();
        assertThat(batch.get(10, TimeUnit.SECONDS).isExceptional()).isFalse();
    }

    @Test
    void aRefusedEventFailsTheBatchAndItsRetrySendsOnlyWhatKafkaHasNot() throws Exception {
        List<EventMessage<?>> events = events("dataset:b", 3);
        CompletableFuture<ResultMessage<Object>> first = process(events);
        awaitSent(3);
        producer.completeNext();
        producer.errorNext(new IllegalStateException("the broker is away"));
        producer.completeNext();

        ResultMessage<Object> failed = first.get(10, TimeUnit.SECONDS);
        assertThat(failed.isExceptional()).isTrue();
        assertThat(failed.exceptionResult()).hasMessageContaining("Kafka did not acknowledge event "
                + events.get(1).getIdentifier()).hasMessageContaining("the broker is away");

        producer.clear();
        CompletableFuture<ResultMessage<Object>> retry = process(events);
        awaitSent(1);
        assertThat(header(producer.history().get(0), KafkaTopics.HEADER_EVENT_ID)).isEqualTo(events.get(1)
                .getIdentifier());
        producer.completeNext();
        assertThat(retry.get(10, TimeUnit.SECONDS).isExceptional()).isFalse();
    }

    private static String header(ProducerRecord<String, byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
