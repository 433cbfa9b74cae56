package io.annals.infra.clients;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Every Kafka client of Annals is made here, so each gets the same bootstrap servers, timeouts and client-id scheme:
 * the event publisher's reliable producer, the score log's producer that never blocks a request, consumers of the
 * log and of scores, and the admin client that creates topics.
 */
public final class KafkaClients {

    /** A topic and how long it keeps records (null: forever). */
    /**
     * A topic as Annals needs it: {@code retention} null keeps records forever; {@code compacted} keeps the last
     * record of each key (and allows records of up to 64 MB, for snapshots).
     */
    public record TopicSpec(String name, int partitions, Duration retention, boolean compacted) {

        public TopicSpec(String name, int partitions, Duration retention) {
            this(name, partitions, retention, false);
        }
    }

    /** The largest record of a compacted topic. */
    public static final int MAX_COMPACTED_RECORD_BYTES = 64 << 20;

    private final KafkaSettings settings;

    public KafkaClients(KafkaSettings settings) {
        this.settings = settings;
    }

    public String bootstrapServers() {
        return settings.bootstrapServers();
    }

    private Properties common(String clientId) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, "annals-" + clientId);
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(settings.requestTimeout().toMillis()));
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG,
                Long.toString(settings.requestTimeout().multipliedBy(3).toMillis()));
        return p;
    }

    /**
     * A producer for records that must not be lost or written twice: acknowledged by every in-sync replica,
     * idempotent, one request in flight. Kafka unreachable: it retries a send with the same sequence number until the
     * delivery timeout, so a request the broker took late is not written twice; past that the send fails.
     */
    public Producer<String, byte[]> reliableProducer(String clientId) {
        Properties p = common(clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(settings.requestTimeout().toMillis()));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(settings.deliveryTimeout().toMillis(),
                settings.requestTimeout().toMillis())));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** A producer of large records (snapshots): acknowledged by all replicas, compressed, up to 64 MB a record. */
    public Producer<String, byte[]> largeRecordProducer(String clientId) {
        Properties p = common(clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_COMPACTED_RECORD_BYTES));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(2L * MAX_COMPACTED_RECORD_BYTES));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(settings.requestTimeout().toMillis()));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * A producer on a request path: sends are batched and asynchronous, and a send never waits for metadata or buffer
     * space for more than a few milliseconds (the caller counts what it could not send).
     */
    public Producer<String, byte[]> nonBlockingProducer(String clientId) {
        Properties p = common(clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * A consumer that commits only when told to, reads committed records only, and starts at the earliest record when
     * its group has no offset yet; a member of a group is presumed dead after 10 s without a heartbeat. {@code groupId}
     * null: no group (the caller assigns partitions itself).
     */
    public KafkaConsumer<String, byte[]> consumer(String clientId, String groupId) {
        return new KafkaConsumer<>(consumerProperties(clientId, groupId), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private Properties consumerProperties(String clientId, String groupId) {
        Properties p = common(clientId);
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            // a process that died without leaving its group holds the group's rebalance until its session expires,
            // counted from when the broker loaded the group: 10 s instead of Kafka's 45 s, so a restarted drift
            // monitor gets its partitions back within seconds (heartbeats go every 3 s from a thread of their own)
            p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    /**
     * A consumer without a group for reading a range it knows the end of (a snapshot, a window of a topic): the broker
     * answers each fetch at once instead of holding it up to half a second for more records, so reading a range and
     * then seeking elsewhere (or closing) does not wait for a fetch parked at the end.
     */
    public KafkaConsumer<String, byte[]> rangeReader(String clientId) {
        Properties p = consumerProperties(clientId, null);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public Admin admin(String clientId) {
        return Admin.create(common(clientId));
    }

    /** Creates the topics that do not exist yet; waits for Kafka's answer at most {@code timeout}. */
    public void ensureTopics(List<TopicSpec> topics, Duration timeout) {
        try (Admin admin = admin("topic-setup")) {
            for (TopicSpec topic : topics) {
                String retention = topic.retention() == null ? "-1" : Long.toString(topic.retention().toMillis());
                try {
                    // Kafka compacts closed segments only: a segment closes after 10 minutes (or twice the largest
                    // record), so a reader of the latest records never scans more than that of superseded ones
                    Map<String, String> configs = topic.compacted()
                            ? Map.of("cleanup.policy", "compact",
                                    "max.message.bytes", Integer.toString(MAX_COMPACTED_RECORD_BYTES),
                                    "segment.bytes", Integer.toString(2 * MAX_COMPACTED_RECORD_BYTES),
                                    "segment.ms", Long.toString(Duration.ofMinutes(10).toMillis()))
                            : Map.of("retention.ms", retention);
                    admin.createTopics(List.of(new NewTopic(topic.name(), topic.partitions(), (short) 1)
                                    .configs(configs)))
                            .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create Kafka topic " + topic.name(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + settings.bootstrapServers() + " did not create topics within "
                    + timeout.toSeconds() + " s", e);
        }
    }
}
