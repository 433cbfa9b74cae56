package io.annals.workers.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.annals.command.api.common.KafkaTopics;
import io.annals.command.api.common.ScoreRecord;
import io.annals.infra.clients.KafkaClients;
import io.annals.infra.clients.WireJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every prediction to {@code annals.scores} without holding up the request: a request only puts its scores in
 * a bounded lock-free queue (a lock here made requests wait behind a descheduled holder); one thread of its own turns
 * them into JSON and hands them to the producer, which batches them.
 * If the queue or the producer's buffer is full (Kafka is down or slower than the traffic), scores are dropped and
 * counted ({@code annals_scores_dropped_total}, and a log line at each power of two) rather than blocking requests.
 * On close, the scores already queued are sent before the producer closes.
 *
 * <p>The sender is not woken for each score. While scores arrive it looks at the queue every {@value #ACTIVE_PARK_MS}
 * ms (the producer lingers 20 ms to batch them anyway); a request wakes it only from a long sleep (no score for a
 * second) or when {@value #WAKE_AT} scores wait. Woken for every score, at 1,000 single-row predictions a second it was
 * a thousand wake-ups a second, each a thread the scheduler may run in the middle of a request on a busy core.
 */
public final class ScoreLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScoreLog.class);
    private static final int QUEUE = 65_536;
    private static final String QUEUE_FULL = "the score queue is full (" + QUEUE + " scores)";
    private static final ScoreRecord STOP = new ScoreRecord("", "", "", 0, 0, 0, java.time.Instant.EPOCH);

    private final Producer<String, byte[]> producer;
    private final ConcurrentLinkedQueue<ScoreRecord> queue = new ConcurrentLinkedQueue<>();
    /** Scores queued and not yet taken by the sender: the queue's bound. */
    private final AtomicInteger queued = new AtomicInteger();
    private static final long ACTIVE_PARK_MS = 2;
    private static final long IDLE_PARK_MS = 100;
    /** No score for this long and the sender sleeps {@value #IDLE_PARK_MS} ms at a time, woken by the next score. */
    private static final long ACTIVE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int WAKE_AT = 256;
    /** Set by the sender before it parks on an empty queue. */
    private volatile boolean idle;
    /** Set with {@link #idle} when the sender parks for long: the next score wakes it. */
    private volatile boolean asleep;
    private final AtomicLong dropped = new AtomicLong();
    private final Counter droppedCounter;
    private final Thread sender;
    private volatile boolean closed;

    public ScoreLog(KafkaClients kafka, MeterRegistry meters) {
        producer = kafka.nonBlockingProducer("score-log");
        droppedCounter = Counter.builder("annals.scores.dropped")
                .description("Scores not logged to annals.scores because Kafka could not take them in time")
                .register(meters);
        sender = new Thread(this::send, "annals-score-log");
        sender.setDaemon(true);
        sender.start();
    }

    /** Queues a score; never blocks. */
    public void log(ScoreRecord score) {
        if (closed) {
            drop("the score log is closed");
            return;
        }
        if (queued.incrementAndGet() > QUEUE) {
            queued.decrementAndGet();
            drop(QUEUE_FULL);
            return;
        }
        queue.offer(score);
        if (asleep || idle && queued.get() >= WAKE_AT) {
            LockSupport.unpark(sender);
        }
    }

    private void send() {
        fetchTopicMetadata();
        long lastScore = System.nanoTime() - ACTIVE_NANOS;
        while (true) {
            ScoreRecord score = queue.poll();
            if (score == null) {
                boolean active = System.nanoTime() - lastScore < ACTIVE_NANOS;
                asleep = !active;
                idle = true;
                // a score queued between the poll and the flags has unparked nobody: look once more before sleeping
                if (queue.isEmpty()) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(active ? ACTIVE_PARK_MS : IDLE_PARK_MS));
                }
                idle = false;
                asleep = false;
                if (Thread.interrupted()) {
                    return;
                }
                continue;
            }
            queued.decrementAndGet();
            if (score == STOP) {
                return;
            }
            lastScore = System.nanoTime();
            sendOne(score);
        }
    }

    private void sendOne(ScoreRecord score) {
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

    /** Sends never wait long for metadata, so fetch it before the first score instead of dropping it. */
    private void fetchTopicMetadata() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
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
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!closed) {
            log.warn("No metadata for {} after 60 s; scores are dropped until it arrives", KafkaTopics.SCORES);
        }
    }

    /**
     * Counts a dropped score. The reason is a message or the producer's own error, turned into text only when
     * logged; a full queue drops scores on the request threads, by the hundred thousand under a burst of batch
     * predictions, and an exception made for each would capture the request thread's stack every time, just when the
     * machine is busiest.
     */
    private void drop(Object reason) {
        droppedCounter.increment();
        long n = dropped.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            log.warn("Dropped {} score record(s) so far; the latest because: {}", n, reason);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            // after what is queued
            queued.incrementAndGet();
            queue.offer(STOP);
            LockSupport.unpark(sender);
            sender.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
