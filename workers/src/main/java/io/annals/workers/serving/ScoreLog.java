package io.annals.workers.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.annals.command.api.common.KafkaTopics;
import io.annals.command.api.common.ScoreRecord;
import io.annals.infra.clients.KafkaClients;
import io.annals.infra.clients.WireJson;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every prediction to {@code annals.scores} without holding up the request: sends are asynchronous and
 * batched by the producer, and if its buffer is full the score is dropped and counted rather than blocking.
 */
public final class ScoreLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScoreLog.class);

    private final Producer<String, byte[]> producer;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    public ScoreLog(KafkaClients kafka) {
        producer = kafka.nonBlockingProducer("score-log");
        Thread warmUp = new Thread(this::fetchTopicMetadata, "annals-score-log-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /** Sends never wait for metadata, so fetch it ahead of the first prediction instead of dropping its score. */
    private void fetchTopicMetadata() {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && !closed) {
            try {
                if (!producer.partitionsFor(KafkaTopics.SCORES).isEmpty()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // the topic may not exist yet, or the metadata is still on its way
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
        if (!closed) {
            log.warn("No metadata for {} after 60 s; scores are dropped until it arrives", KafkaTopics.SCORES);
        }
    }

    public void log(ScoreRecord score) {
        try {
            RecordHeaders headers = new RecordHeaders();
            headers.add(KafkaTopics.HEADER_EVENT_TYPE, ScoreRecord.WIRE_NAME.getBytes(StandardCharsets.UTF_8));
            headers.add(KafkaTopics.HEADER_SCHEMA_VERSION,
                    Integer.toString(ScoreRecord.SCHEMA_VERSION).getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(KafkaTopics.SCORES, null, score.endpoint(),
                    WireJson.mapper().writeValueAsBytes(score), headers), (metadata, error) -> {
                        if (error != null) {
                            drop(error);
                        }
                    });
        } catch (JsonProcessingException | RuntimeException e) {
            drop(e);
        }
    }

    private void drop(Exception e) {
        long n = dropped.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            log.warn("Dropped {} score record(s) so far; the latest because: {}", n, e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
