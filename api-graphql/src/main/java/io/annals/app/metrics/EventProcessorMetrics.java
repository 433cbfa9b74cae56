package io.annals.app.metrics;

import io.annals.command.domain.config.EventStoreRole;
import io.annals.query.rebuild.ProjectionRebuilds;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * {@code annals_events_processor_lag_events{processor}}: for every event processor of this process (each projection,
 * the Kafka publisher {@code kafka-publisher}, the policies), how many positions of the event store it has yet to
 * handle, from the lowest segment it holds; NaN while it holds no segment. The store's head is read at most once a
 * second, however many gauges a scrape reads. A process without the event store runs no event processor.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EventStoreRole.class)
public class EventProcessorMetrics {

    private static final long HEAD_TTL_NANOS = 1_000_000_000L;

    /** The store's head position, read at most once per {@link #HEAD_TTL_NANOS}. */
    static final class Head {
        private final EventStore store;
        private long position = -1;
        private long readAt;

        Head(EventStore store) {
            this.store = store;
        }

        synchronized long position() {
            long now = System.nanoTime();
            if (position < 0 || now - readAt > HEAD_TTL_NANOS) {
                TrackingToken head = store.createHeadToken();
                position = head == null ? -1 : head.position().orElse(-1);
                readAt = now;
            }
            return position;
        }
    }

    /** Registered once the application has started, when every processor exists. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> eventProcessorLag(MeterRegistry registry,
                                                                 EventProcessingConfiguration processing,
                                                                 EventStore store) {
        Head head = new Head(store);
        return ready -> register(registry, processing, head);
    }

    private static void register(MeterRegistry registry, EventProcessingConfiguration processing, Head head) {
        for (Map.Entry<String, ?> entry : processing.eventProcessors().entrySet()) {
            if (!(entry.getValue() instanceof StreamingEventProcessor processor)) {
                continue;
            }
            String name = entry.getKey();
            Gauge.builder("annals.events.processor.lag", processor, p -> lag(name, p, head))
                    .description("Event store positions an event processor has yet to handle")
                    .baseUnit("events").tag("processor", name).register(registry);
        }
    }

    private static double lag(String name, StreamingEventProcessor processor, Head head) {
        Long position = ProjectionRebuilds.status(name, processor).position();
        long top = head.position();
        if (position == null || top < 0) {
            return Double.NaN;
        }
        return Math.max(0, top - position);
    }
}
