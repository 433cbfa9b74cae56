package io.annals.workers.config;

import io.annals.infra.clients.KafkaClients;
import io.annals.workers.events.EventStream;
import io.annals.workers.events.WorkerSnapshots;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How each worker role reads {@code annals.events}: its own stream, started from its latest snapshot. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerSettings.class)
public class WorkerEventsConfiguration {

    /** The event streams of this process's workers. */
    public static final class WorkerEvents implements AutoCloseable {

        private final KafkaClients kafka;
        private final WorkerSnapshots snapshots;

        WorkerEvents(KafkaClients kafka, WorkerSnapshots snapshots) {
            this.kafka = kafka;
            this.snapshots = snapshots;
        }

        /** The stream of the worker kind {@code name} (its snapshots' key). */
        public EventStream stream(String name) {
            return new EventStream(kafka, name, snapshots);
        }

        @Override
        public void close() {
            if (snapshots != null) {
                snapshots.close();
            }
        }
    }

    @Bean(destroyMethod = "close")
    WorkerEvents workerEvents(KafkaClients kafka, WorkerSettings settings) {
        WorkerSettings.Snapshots s = settings.snapshots();
        return new WorkerEvents(kafka, s.enabled() ? new WorkerSnapshots(kafka, s.every(), s.everyEvents()) : null);
    }
}
