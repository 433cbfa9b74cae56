package io.annals.query.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stopping a projection's processor for a rebuild, on Axon's own tracking processor with its in-memory stores: threads
 * that only wait for the next event are woken instead of waited out, and the processor, started again, goes on with
 * the events that came after, its handlers on threads that are not interrupted.
 */
class ProcessorStopTest {

    private static final String NAME = "stop-test-projection";

    /** Records the numbers it is given, and whether any came on an interrupted thread. */
    static final class Numbers {
        final List<Integer> handled = new CopyOnWriteArrayList<>();
        final AtomicBoolean onAnInterruptedThread = new AtomicBoolean();

        @EventHandler
        void on(Integer number) {
            if (Thread.currentThread().isInterrupted()) {
                onAnInterruptedThread.set(true);
            }
            handled.add(number);
        }
    }

    private final EmbeddedEventStore log = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();
    private final Numbers numbers = new Numbers();
    // waits for events, and for its threads to stop before interrupting them, far longer than this test may take:
    // only waking the waiting threads stops it in time
    private final TrackingEventProcessor processor = TrackingEventProcessor.builder()
            .name(NAME)
            .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(numbers).build())
            .messageSource(log)
            .tokenStore(new InMemoryTokenStore())
            .transactionManager(NoTransactionManager.instance())
            .trackingEventProcessorConfiguration(TrackingEventProcessorConfiguration.forParallelProcessing(2)
                    .andInitialSegmentsCount(2)
                    .andEventAvailabilityTimeout(10, TimeUnit.MINUTES)
                    .andWorkerTerminationTimeout(10, TimeUnit.MINUTES))
            .build();

    @AfterEach
    void shutDown() {
        // Axon's own shutdown would wait out the ten minutes
        ProjectionRebuilds.stop(NAME, processor);
        log.shutDown();
    }

    @Test
    void givenAProcessorWaitingForEvents_whenStoppedForARebuild_thenItStopsAtOnce_andGoesOnWhenStartedAgain() {
        processor.start();
        log.publish(GenericEventMessage.asEventMessage(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> numbers.handled.contains(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> threadsWaitingForEvents() == 2);

        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ProjectionRebuilds.stop(NAME, processor));

        assertThat(processor.isRunning()).isFalse();
        assertThat(processor.processingStatus()).as("no segment held").isEmpty();
        assertThat(threadsWaitingForEvents()).isZero();

        processor.start();
        log.publish(GenericEventMessage.asEventMessage(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> numbers.handled.contains(2));
        assertThat(numbers.handled).containsExactly(1, 2);
        assertThat(numbers.onAnInterruptedThread).as("handlers never on an interrupted thread").isFalse();
    }

    private static long threadsWaitingForEvents() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("EventProcessor[" + NAME + "]-"))
                .filter(e -> ProjectionRebuilds.waitingForEvents(e.getKey(), e.getValue()))
                .count();
    }
}
