package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.KafkaTopics;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.common.ScoreRecord;
import io.annals.command.api.drift.RaiseDriftAlert;
import io.annals.command.api.endpoint.DriftMonitorConfigured;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.infra.clients.KafkaClients;
import io.annals.infra.clients.WireJson;
import io.annals.workers.drift.DriftDetector;
import io.annals.workers.drift.DriftMonitor;
import io.annals.workers.drift.WindowCheckpoint;
import io.annals.workers.events.EventEnvelope;
import io.annals.workers.events.EventSource;
import io.annals.workers.port.CommandPort;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A drift monitor that stops in the middle of a window, on the real Kafka: the one that starts after it (same consumer
 * group) rebuilds the open window from {@code annals.scores} with the checkpoint committed as the offset's metadata,
 * so the window closes after exactly its size, starting with the first row the stopped monitor read — no row lost,
 * none counted twice.
 */
class DriftMonitorRestartTest extends PlatformTestSupport {

    @Autowired
    KafkaClients kafka;

    private final String endpoint = "restart-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<RaiseDriftAlert> raised = new CopyOnWriteArrayList<>();
    private final CommandPort commands = new CommandPort() {
        @Override
        @SuppressWarnings("unchecked")
        public <R> R send(Object command, io.annals.command.api.common.Actor actor, String correlationId) {
            raised.add((RaiseDriftAlert) command);
            return (R) Boolean.TRUE;
        }
    };

    /** The event log as the monitor needs it: a version whose validation scores were half low, a window of 100. */
    private final class Events implements EventSource {
        private boolean delivered;

        @Override
        public List<EventEnvelope> poll(Duration timeout) {
            if (delivered) {
                return List.of();
            }
            delivered = true;
            ModelName model = ModelName.of(endpoint + "-model");
            return List.of(
                    envelope(new ModelVersionRegistered(model, 1, TrainingRunId.of(endpoint + "-run"),
                            Task.BINARY_CLASSIFICATION, List.of("x"),
                            new ArtifactRef("s3://annals/m.zip", "e".repeat(64), 1), Map.of(),
                            new ScoreBaseline(List.of(0.5), List.of(0.5, 0.5), 1_000))),
                    envelope(new DriftMonitorConfigured(EndpointName.of(endpoint), 0.2, 100)));
        }

        private EventEnvelope envelope(Object payload) {
            return new EventEnvelope(UUID.randomUUID().toString(), "test", endpoint, Instant.now(), "user:tester",
                    null, payload);
        }

        @Override
        public boolean caughtUp() {
            return delivered;
        }

        @Override
        public void wakeup() {
        }

        @Override
        public void close() {
        }
    }

    private List<RecordMetadata> produce(Producer<String, byte[]> producer, Instant t0, int from, int to)
            throws Exception {
        List<RecordMetadata> sent = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ScoreRecord score = new ScoreRecord("req-" + i, endpoint, endpoint + "-model", 1, 1, 0.9,
                    t0.plusSeconds(i));
            sent.add(producer.send(new ProducerRecord<>(KafkaTopics.SCORES, endpoint,
                    WireJson.mapper().writeValueAsBytes(score))).get());
        }
        return sent;
    }

    /** A monitor of this test's endpoint (a window of 100, from {@link Events}) reading through {@code consumer}. */
    private DriftMonitor monitor(KafkaConsumer<String, byte[]> consumer, Duration commitInterval) {
        return new DriftMonitor(new Events(), consumer, commands,
                new DriftDetector(new io.annals.command.api.endpoint.DriftMonitorSettings(0.2, 500)),
                new SimpleMeterRegistry(), commitInterval);
    }

    /** Steps a monitor on this thread until its consumer has read past {@code offset} of {@code partition}. */
    private static void readPast(DriftMonitor monitor, KafkaConsumer<String, byte[]> consumer,
                                 TopicPartition partition, long offset) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO).until(() -> {
            monitor.step();
            return consumer.assignment().contains(partition) && consumer.position(partition) > offset;
        });
    }

    @Test
    void aMonitorStoppedMidWindow_isFollowedByOneThatRebuildsTheWindowFromTheLog() throws Exception {
        String group = "annals-drift-restart-test-" + UUID.randomUUID();
        Instant t0 = Instant.now();
        try (Producer<String, byte[]> producer = kafka.reliableProducer("drift-restart-test")) {
            List<RecordMetadata> first = produce(producer, t0, 0, 60);
            TopicPartition partition = new TopicPartition(KafkaTopics.SCORES, first.get(0).partition());

            KafkaConsumer<String, byte[]> consumerA = kafka.consumer("drift-restart-a", group);
            try (DriftMonitor a = monitor(consumerA, DriftMonitor.COMMIT_INTERVAL)) {
                readPast(a, consumerA, partition, first.get(59).offset());
            }
            assertThat(raised).as("60 rows of a window of 100: nothing decided yet").isEmpty();

            List<RecordMetadata> second = produce(producer, t0, 60, 100);
            KafkaConsumer<String, byte[]> consumerB = kafka.consumer("drift-restart-b", group);
            try (DriftMonitor b = monitor(consumerB, DriftMonitor.COMMIT_INTERVAL)) {
                readPast(b, consumerB, partition, second.get(39).offset());
            }
        }
        assertThat(raised).singleElement().satisfies(alert -> {
            assertThat(alert.finding().windowRows()).isEqualTo(100);
            assertThat(alert.finding().windowStart()).as("the first row the stopped monitor read")
                    .isEqualTo(t0);
            assertThat(alert.finding().windowEnd()).isEqualTo(t0.plusSeconds(99));
        });
    }

    /**
     * While rows arrive the checkpoint is committed once a second, not after every poll; a monitor that stops in
     * between still commits where it has read to (giving its partitions up), so the one after it reads nothing again.
     */
    @Test
    void aMonitorThatStops_commitsWhereItHasReadTo() throws Exception {
        String group = "annals-drift-stop-test-" + UUID.randomUUID();
        Instant t0 = Instant.now();
        try (Producer<String, byte[]> producer = kafka.reliableProducer("drift-stop-test")) {
            List<RecordMetadata> first = produce(producer, t0, 0, 30);
            TopicPartition partition = new TopicPartition(KafkaTopics.SCORES, first.get(0).partition());
            KafkaConsumer<String, byte[]> consumer = kafka.consumer("drift-stop-a", group);
            List<RecordMetadata> second;
            // no commit while it runs but the first, whatever this machine's pace: only the stop can move it
            try (DriftMonitor monitor = monitor(consumer, Duration.ofHours(1))) {
                readPast(monitor, consumer, partition, first.get(29).offset());
                second = produce(producer, t0, 30, 60);
                readPast(monitor, consumer, partition, second.get(29).offset());
            }
            try (KafkaConsumer<String, byte[]> reader = kafka.consumer("drift-stop-reader", group)) {
                OffsetAndMetadata committed = reader.committed(Set.of(partition), Duration.ofSeconds(30))
                        .get(partition);
                assertThat(committed).as("a checkpoint was committed").isNotNull();
                // the topic is shared with the other tests: windows of their endpoints may be open in this
                // partition too, so the oldest open window starts at this test's first row or before it
                assertThat(committed.offset()).as("where the oldest open window starts")
                        .isLessThanOrEqualTo(first.get(0).offset());
                assertThat(WindowCheckpoint.decode(committed.metadata()).position())
                        .as("read past the last row, committed when the monitor stopped")
                        .isGreaterThan(second.get(29).offset());
            }
        }
        assertThat(raised).as("60 rows of a window of 100: nothing decided yet").isEmpty();
    }
}
