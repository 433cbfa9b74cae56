package io.annals.workers.webhook;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.KafkaTopics;
import io.annals.command.api.webhook.DeliveryOutcome;
import io.annals.command.api.webhook.RecordWebhookDelivery;
import io.annals.command.api.webhook.WebhookAttempt;
import io.annals.command.api.webhook.WebhookDeliveryId;
import io.annals.command.api.webhook.WebhookId;
import io.annals.infra.clients.KafkaClients;
import io.annals.workers.events.EventStream;
import io.annals.workers.port.CommandPort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One webhook's deliveries, on a thread of its own with a Kafka consumer group of its own
 * ({@code annals-webhook-<id>}) on {@code annals.events}: so the events of one entity, which share a partition, are
 * delivered in order, the group's committed offsets say how far the webhook got (a new webhook starts at the time it
 * was registered), and a receiver that never answers holds up only this lane. Each matching event is POSTed until a
 * 2xx answer, at most {@code maxAttempts} times with exponential backoff; every attempt is recorded; the offset past
 * an event is committed once its last attempt is recorded (at least once).
 */
final class WebhookLane implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookLane.class);
    static final Actor ACTOR = Actor.service("webhook-dispatcher");

    /** What a lane delivers, and where. */
    record Definition(WebhookId id, URI url, String secret, Set<String> events, Instant registeredAt) {
    }

    /** A replay taken on: deliver again from a position or a time, up to where the lane was when it began. */
    record Replay(String replayId, Long fromPosition, Instant fromTime) {
    }

    private final Definition webhook;
    private final KafkaConsumer<String, byte[]> consumer;
    private final HttpClient http;
    private final CommandPort commands;
    private final DeliverySettings settings;
    private final ConcurrentLinkedQueue<Replay> replays = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** The replay under way, and the offsets where live delivery had got to when it began. */
    private Replay replay;
    private Map<TopicPartition, Long> replayEnd = Map.of();

    WebhookLane(Definition webhook, KafkaClients kafka, HttpClient http, CommandPort commands,
                DeliverySettings settings) {
        this.webhook = webhook;
        this.consumer = kafka.consumer("webhook-" + webhook.id(), "annals-webhook-" + webhook.id());
        this.http = http;
        this.commands = commands;
        this.settings = settings;
        this.thread = new Thread(this::run, "annals-webhook-" + webhook.id());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Asks the lane to deliver again from a position or a time (it begins after the event it is delivering). */
    void replay(Replay replay) {
        replays.add(replay);
        consumer.wakeup();
    }

    private void run() {
        try {
            deliver();
        } finally {
            // an interrupt that stopped a delivery must not cut the consumer's leaving of its group short
            Thread.interrupted();
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.debug("Webhook {}: consumer closed with {}", webhook.id(), e.toString());
            }
        }
    }

    private void deliver() {
        consumer.subscribe(List.of(KafkaTopics.EVENTS), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                startNewPartitionsAtRegistration(partitions);
            }
        });
        log.info("Webhook {} delivering {} to {}", webhook.id(), webhook.events(),
                WebhookUrls.display(webhook.url()));
        while (running) {
            try {
                Replay next = replays.poll();
                if (next != null) {
                    begin(next);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (!running) {
                        return;
                    }
                    handle(record);
                    consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1)), Duration.ofSeconds(30));
                    if (!replays.isEmpty()) {
                        break;
                    }
                }
            } catch (WakeupException woken) {
                // a replay was asked for, or the lane is closing
            } catch (InterruptedException interrupted) {
                return;
            } catch (RuntimeException unexpected) {
                if (running) {
                    log.error("Webhook {}: delivery loop failed; it starts again from the last committed event",
                            webhook.id(), unexpected);
                    seekToCommitted();
                }
            }
        }
    }

    /** A partition this group never committed on starts with the first event at or after the registration. */
    private void startNewPartitionsAtRegistration(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions),
                Duration.ofSeconds(30));
        Map<TopicPartition, Long> fresh = new HashMap<>();
        for (TopicPartition partition : partitions) {
            if (committed.get(partition) == null) {
                fresh.put(partition, webhook.registeredAt().toEpochMilli());
            }
        }
        seekToTimes(fresh);
    }

    private void seekToTimes(Map<TopicPartition, Long> times) {
        if (times.isEmpty()) {
            return;
        }
        // the ends first: a partition with no event at or after the time yet starts where it ended before the
        // search, so an event published between the two requests is delivered (read the other way round, it was
        // skipped: no event found, then an end that was already past it)
        Map<TopicPartition, Long> ends = consumer.endOffsets(times.keySet(), Duration.ofSeconds(30));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times, Duration.ofSeconds(30));
        for (TopicPartition partition : times.keySet()) {
            OffsetAndTimestamp at = offsets.get(partition);
            consumer.seek(partition, at == null ? ends.get(partition) : at.offset());
        }
    }

    private void seekToCommitted() {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, Duration.ofSeconds(30));
        for (TopicPartition partition : assigned) {
            OffsetAndMetadata at = committed.get(partition);
            if (at != null) {
                consumer.seek(partition, at.offset());
            }
        }
    }

    private void begin(Replay next) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            // the group has not given this lane its partitions yet: begin after the next poll
            replays.add(next);
            return;
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        for (TopicPartition partition : assigned) {
            end.put(partition, consumer.position(partition));
        }
        replay = next;
        replayEnd = end;
        if (next.fromTime() != null) {
            Map<TopicPartition, Long> times = new HashMap<>();
            assigned.forEach(p -> times.put(p, next.fromTime().toEpochMilli()));
            seekToTimes(times);
        } else {
            consumer.seekToBeginning(assigned);
        }
        log.info("Webhook {}: replay {} from {} began", webhook.id(), next.replayId(),
                next.fromTime() != null ? next.fromTime() : "position " + next.fromPosition());
    }

    /** The replay a record belongs to, or null when it is delivered live. */
    private Replay replayOf(ConsumerRecord<String, byte[]> record) {
        if (replay == null) {
            return null;
        }
        Long end = replayEnd.get(new TopicPartition(record.topic(), record.partition()));
        if (end == null || record.offset() >= end) {
            return null;
        }
        return replay;
    }

    private void handle(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        String type = EventStream.header(record, KafkaTopics.HEADER_EVENT_TYPE);
        String eventId = EventStream.header(record, KafkaTopics.HEADER_EVENT_ID);
        if (type == null || eventId == null || !webhook.events().contains(type)) {
            return;
        }
        String position = EventStream.header(record, KafkaTopics.HEADER_POSITION);
        Long eventPosition = position == null ? null : Long.parseLong(position);
        Replay from = replayOf(record);
        if (from != null && from.fromPosition() != null && (eventPosition == null
                || eventPosition < from.fromPosition())) {
            return;
        }
        Instant time = EventStream.timestamp(record);
        String replayId = from == null ? null : from.replayId();
        byte[] body = CloudEvent.body(eventId, type, settings.source(), time, record.key(), eventPosition,
                EventStream.header(record, KafkaTopics.HEADER_ACTOR), record.value(), replayId);
        String signature = CloudEvent.signature(webhook.secret(), body);
        WebhookDeliveryId delivery = WebhookDeliveryId.of(webhook.id(), eventId);
        Duration backoff = settings.initialBackoff();
        for (int attempt = 1; running; attempt++) {
            long start = System.nanoTime();
            Integer status = null;
            String error = null;
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(webhook.url())
                        .timeout(settings.timeout())
                        .header("Content-Type", CloudEvent.CONTENT_TYPE)
                        .header("User-Agent", "annals-webhooks")
                        .header(CloudEvent.SIGNATURE_HEADER, signature)
                        .header("X-Annals-Delivery", delivery.value())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.discarding());
                status = response.statusCode();
                if (status / 100 != 2) {
                    error = "answered " + status;
                }
            } catch (IOException e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            DeliveryOutcome outcome = error == null ? DeliveryOutcome.DELIVERED
                    : attempt >= settings.maxAttempts() ? DeliveryOutcome.GAVE_UP : DeliveryOutcome.FAILED;
            record(delivery, new WebhookAttempt(UUID.randomUUID().toString(), eventId, type, eventPosition,
                    record.key(), attempt, outcome, status, error, millis, Instant.now(), replayId));
            if (outcome != DeliveryOutcome.FAILED) {
                if (outcome == DeliveryOutcome.GAVE_UP) {
                    log.warn("Webhook {}: gave up on event {} ({}) after {} attempts: {}", webhook.id(), eventId,
                            type, attempt, error);
                }
                return;
            }
            log.info("Webhook {}: attempt {} of event {} failed ({}); next in {} ms", webhook.id(), attempt, eventId,
                    error, backoff.toMillis());
            Thread.sleep(backoff.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff()
                    : backoff.multipliedBy(2);
        }
    }

    /** Records an attempt; while the command side cannot take it, tries again (the event is not passed by). */
    private void record(WebhookDeliveryId delivery, WebhookAttempt attempt) throws InterruptedException {
        long wait = 200;
        while (running) {
            try {
                commands.send(new RecordWebhookDelivery(delivery, webhook.id(), attempt), ACTOR, null);
                return;
            } catch (RuntimeException refused) {
                log.warn("Webhook {}: attempt {} of {} not recorded yet ({}); trying again in {} ms", webhook.id(),
                        attempt.attempt(), delivery, refused.getMessage(), wait);
                Thread.sleep(wait);
                wait = Math.min(wait * 2, 10_000);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(1_000);
            if (thread.isAlive()) {
                // in a delivery (a receiver that does not answer) or a backoff: cut it short
                thread.interrupt();
                thread.join(15_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
