package io.annals.command.domain.publication;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.command.api.common.KafkaTopics;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Kafka side of the event log: topics, and the idempotent producer that the publisher uses. */
@Configuration(proxyBeanMethods = false)
public class PublicationConfiguration {

    @Bean(destroyMethod = "close")
    Producer<String, byte[]> eventProducer(@Value("${annals.kafka.bootstrap-servers}") String bootstrap) {
        createTopics(bootstrap);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "annals-event-publisher");
        // Kafka unreachable: the idempotent producer retries a send for up to two minutes, each retry carrying the
        // same sequence number, so a request that the broker took late is not written twice; past that the send
        // fails, and the publisher stops at the event and retries it with backoff
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Bean
    KafkaEventPublisher kafkaEventPublisher(Producer<String, byte[]> eventProducer,
                                            @Qualifier("defaultAxonObjectMapper") ObjectMapper json) {
        return new KafkaEventPublisher(eventProducer, json);
    }

    static void createTopics(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            for (String topic : List.of(KafkaTopics.EVENTS, KafkaTopics.SCORES)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1)
                                    .configs(Map.of("retention.ms", topic.equals(KafkaTopics.EVENTS) ? "-1"
                                            : Long.toString(TimeUnit.DAYS.toMillis(7))))))
                            .all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create Kafka topic " + topic, e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrap + " did not create topics in time", e);
        }
    }
}
