package io.annals.command.domain.publication;

import io.annals.command.api.common.KafkaTopics;
import io.annals.command.domain.config.CommandRole;
import io.annals.infra.clients.KafkaClients;
import io.annals.infra.clients.KafkaClients.TopicSpec;
import io.annals.infra.clients.WireJson;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The Kafka side of the event log: both topics ({@code annals.events}, kept forever; {@code annals.scores}, kept a
 * week) are created here, in every process, before anything publishes or reads them; and, in a process of the
 * {@code command} role, the reliable producer the publisher uses and the publisher itself.
 */
@Configuration(proxyBeanMethods = false)
public class PublicationConfiguration {

    static final List<TopicSpec> TOPICS = List.of(new TopicSpec(KafkaTopics.EVENTS, 4, null),
            new TopicSpec(KafkaTopics.SCORES, 4, Duration.ofDays(7)));

    /** The topics exist once this bean does. */
    record LogTopics() {
    }

    @Bean
    LogTopics logTopics(KafkaClients kafka) {
        kafka.ensureTopics(TOPICS, Duration.ofSeconds(30));
        return new LogTopics();
    }

    @Bean(destroyMethod = "close")
    @Conditional(CommandRole.class)
    Producer<String, byte[]> eventProducer(KafkaClients kafka, LogTopics topics) {
        return kafka.reliableProducer("event-publisher");
    }

    @Bean
    @Conditional(CommandRole.class)
    KafkaEventPublisher kafkaEventPublisher(Producer<String, byte[]> eventProducer) {
        return new KafkaEventPublisher(eventProducer, WireJson.mapper());
    }
}
