package io.annals.command.domain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.junit.jupiter.api.Test;

/**
 * {@link LingeringEventSource}'s decisions, on a clock of the test's own: the stream read by Axon's tracking
 * processor is the real one in every platform test.
 */
class LingeringEventSourceTest {

    private static final long MS = 1_000_000;
    private static final long LINGER = 100 * MS;

    /** Events the test appends; waits answer at once (the clock moves only by the stream's own pauses). */
    private static final class Log implements BlockingStream<TrackedEventMessage<?>> {
        final Deque<TrackedEventMessage<?>> events = new ArrayDeque<>();
        final List<Long> waitedMillis = new ArrayList<>();
        int noWaitChecks;
        private long next;

        void append(int count) {
            for (int i = 0; i < count; i++) {
                events.add(new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(next++),
                        GenericEventMessage.asEventMessage("event " + next)));
            }
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return Optional.ofNullable(events.peek());
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) {
            waitedMillis.add(unit.toMillis(timeout));
            return !events.isEmpty();
        }

        @Override
        public boolean hasNextAvailable() {
            noWaitChecks++;
            return !events.isEmpty();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() {
            return events.remove();
        }

        @Override
        public void close() {
        }
    }

    private static final class Clock implements LingeringEventSource.Ticker {
        long now = 1_000 * MS;
        final List<Long> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            sleeps.add(nanos);
            now += nanos;
        }
    }

    private final Log log = new Log();
    private final Clock clock = new Clock();
    private final LingeringEventSource.Lingering stream = new LingeringEventSource.Lingering(log, LINGER, clock);

    private void readAll() throws InterruptedException {
        while (stream.hasNextAvailable()) {
            stream.nextAvailable();
        }
    }

    /**
     * A processor following a stream of {@code perSecond} events for {@code seconds}, each of its batches taking
     * {@code batchMillis}, starting each batch as the stream lets it (the events that arrive while it lingers join
     * the batch); the sleeps it took are then cleared. The last batch began at the clock's present.
     */
    private void follow(int perSecond, long batchMillis, int seconds) throws InterruptedException {
        long end = clock.now + seconds * 1_000 * MS;
        double owed = 0;
        long last = clock.now;
        while (clock.now < end) {
            clock.now += batchMillis * MS;
            owed += arrived(perSecond, last);
            last = clock.now;
            log.append((int) owed);
            owed -= (int) owed;
            stream.hasNextAvailable(1000, TimeUnit.MILLISECONDS);
            owed += arrived(perSecond, last);
            last = clock.now;
            log.append((int) owed);
            owed -= (int) owed;
            readAll();
        }
        clock.sleeps.clear();
        log.waitedMillis.clear();
    }

    private double arrived(int perSecond, long since) {
        return perSecond * (clock.now - since) / 1e9;
    }

    @Test
    void theFirstEventAfterAQuietMomentGoesAtOnce() throws InterruptedException {
        log.append(1);

        assertThat(stream.hasNextAvailable(1000, TimeUnit.MILLISECONDS)).isTrue();

        assertThat(clock.sleeps).isEmpty();
        assertThat(log.waitedMillis).containsExactly(1000L);
    }

    @Test
    void underASteadyStreamAnEventSoonAfterABatchBeganWaitsOutTheLingerSoOthersJoinIt() throws InterruptedException {
        follow(1_000, 3, 2); // 1,000 events a second for two seconds, the last batch began just now
        clock.now += 3 * MS; // it took 3 ms; meanwhile more events came
        log.append(3);

        assertThat(stream.hasNextAvailable(1000, TimeUnit.MILLISECONDS)).isTrue();

        assertThat(clock.sleeps).containsExactly(97 * MS);
        // what is left of the processor's wait is passed on
        assertThat(log.waitedMillis).containsExactly(903L);
    }

    @Test
    void aClientThatWaitsForEachAnswerIsNeverHeldUp() throws InterruptedException {
        // a command of two events every 20 ms (100 events a second), each read at once: nothing to gather by waiting
        follow(100, 20, 2);
        clock.now += 3 * MS;
        log.append(2);

        stream.hasNextAvailable(1000, TimeUnit.MILLISECONDS);

        assertThat(clock.sleeps).isEmpty();
    }

    @Test
    void theRateIsOfAboutTheLastSecondSoAQuietMomentEndsTheLingering() throws InterruptedException {
        follow(1_000, 3, 2);
        clock.now += 2_000 * MS; // two quiet seconds
        log.append(1);
        stream.hasNextAvailable(1000, TimeUnit.MILLISECONDS);
        readAll();
        clock.now += 3 * MS;
        log.append(1);

        stream.hasNextAvailable(1000, TimeUnit.MILLISECONDS);

        assertThat(clock.sleeps).isEmpty();
    }

    @Test
    void noEventWaitsLongerThanTheLingerNorTheProcessorsTimeout() throws InterruptedException {
        follow(1_000, 3, 2);
        log.append(1);

        stream.hasNextAvailable(5, TimeUnit.MILLISECONDS);

        assertThat(clock.sleeps).containsExactly(5 * MS);
        assertThat(log.waitedMillis).containsExactly(0L);
    }

    @Test
    void aProcessorBehindTheLogNeverLingers() throws InterruptedException {
        follow(1_000, 3, 2);
        log.append(LingeringEventSource.BEHIND + 50);
        clock.now += 1 * MS;
        stream.hasNextAvailable(1000, TimeUnit.MILLISECONDS); // lingers once more: it had caught up
        clock.sleeps.clear();
        for (int i = 0; i < LingeringEventSource.BEHIND; i++) {
            stream.nextAvailable(); // a full batch read straight after the wait
        }

        assertThat(stream.hasNextAvailable(1000, TimeUnit.MILLISECONDS)).isTrue();

        assertThat(clock.sleeps).isEmpty();
    }

    @Test
    void fillingABatchDoesNotWait() throws InterruptedException {
        log.append(3);
        stream.hasNextAvailable(1000, TimeUnit.MILLISECONDS);

        // Axon's processor fills its batch with waitless checks, and BlockingStream's default for those is a wait
        // of zero: neither lingers
        assertThat(stream.hasNextAvailable()).isTrue();
        assertThat(stream.hasNextAvailable(0, TimeUnit.NANOSECONDS)).isTrue();

        assertThat(clock.sleeps).isEmpty();
        assertThat(log.noWaitChecks).isEqualTo(2);
    }

    @Test
    void aLingerOfZeroIsTheLogItselfAndOneAboveASecondIsRefused() {
        var withoutLinger = new LingeringEventSource(new FixedSource(log), Duration.ZERO);
        assertThat(withoutLinger.openStream(null)).isSameAs(log);
        assertThat(new LingeringEventSource(new FixedSource(log), Duration.ofMillis(20)).openStream(null))
                .isInstanceOf(LingeringEventSource.Lingering.class);

        assertThatThrownBy(() -> new LingeringEventSource(new FixedSource(log), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("annals.events.linger");
        assertThatThrownBy(() -> new LingeringEventSource(new FixedSource(log), Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("annals.events.linger");
    }

    private record FixedSource(Log log) implements org.axonframework.messaging.StreamableMessageSource<
            TrackedEventMessage<?>> {
        @Override
        public BlockingStream<TrackedEventMessage<?>> openStream(org.axonframework.eventhandling.TrackingToken token) {
            return log;
        }
    }
}
