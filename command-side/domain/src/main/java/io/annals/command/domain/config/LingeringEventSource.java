package io.annals.command.domain.config;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

/**
 * The event log as a processor that writes in batches should follow it: while events arrive faster than
 * {@value #BUSY_EVENTS_PER_LINGER} per linger (300 a second with the default 100 ms) and the processor has caught up,
 * it waits out the rest of the linger after a batch began before it starts the next, so the events that arrive
 * meanwhile join that one. Under a steady stream a processor thus starts at most one batch per linger, whatever the
 * rate — one token update, one {@code _bulk} request, one request to Kafka — where it would otherwise start one for
 * every few events that came while the last batch was written. Below that rate nothing waits: the first event after
 * a quiet moment goes at once, and so does a client's next command when it waits for each answer (a mutation that
 * reads what it made from the read model, a script, the console); a processor behind the log (a batch of
 * {@link #BEHIND} events read since it last waited) never waits; and no event waits longer than the linger.
 *
 * <p>The rate is what the stream has read, averaged over about the last second. Axon's tracking processor asks its
 * stream {@code hasNextAvailable(timeout)} once at the start of each batch (and while the events it reads are all for
 * other processors), and {@code hasNextAvailable()} without a wait while it fills the batch; only the first lingers.
 */
public final class LingeringEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    /**
     * Events read since the last wait from which on the processor is behind the log rather than following it: the
     * batch size of every processor that reads through this source (application.yml), so that one whose batches
     * come back full never waits, and one that lingers still takes up to a full batch each time.
     */
    static final int BEHIND = 500;
    /** Events expected within one linger from which on waiting for them pays (below, each goes at once). */
    static final int BUSY_EVENTS_PER_LINGER = 30;
    /** How far back the rate of events looks: an interval this long replaces the estimate. */
    static final long RATE_HORIZON_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final StreamableMessageSource<TrackedEventMessage<?>> log;
    private final long lingerNanos;

    public LingeringEventSource(StreamableMessageSource<TrackedEventMessage<?>> log, Duration linger) {
        if (linger.isNegative() || linger.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("annals.events.linger must be between 0 and 1 s, got " + linger);
        }
        this.log = log;
        this.lingerNanos = linger.toNanos();
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        BlockingStream<TrackedEventMessage<?>> stream = log.openStream(trackingToken);
        return lingerNanos == 0 ? stream : new Lingering(stream, lingerNanos, Ticker.SYSTEM);
    }

    @Override
    public TrackingToken createTailToken() {
        return log.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return log.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return log.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return log.createTokenSince(duration);
    }

    /** The clock and the pause a stream lingers with. */
    interface Ticker {
        Ticker SYSTEM = new Ticker() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        };

        long nanoTime();

        void sleep(long nanos) throws InterruptedException;
    }

    /** One processor's stream (a stream is read by one thread). */
    static final class Lingering implements BlockingStream<TrackedEventMessage<?>> {
        private final BlockingStream<TrackedEventMessage<?>> stream;
        private final long lingerNanos;
        private final Ticker ticker;
        private long batchBegan;
        private int readSinceWait;
        private long lastWait;
        /** Events read per second, averaged over about {@link #RATE_HORIZON_NANOS}. */
        private double eventsPerSecond;

        Lingering(BlockingStream<TrackedEventMessage<?>> stream, long lingerNanos, Ticker ticker) {
            this.stream = stream;
            this.lingerNanos = lingerNanos;
            this.ticker = ticker;
            this.batchBegan = ticker.nanoTime() - lingerNanos;
            this.lastWait = ticker.nanoTime();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (timeout <= 0) {
                return stream.hasNextAvailable();
            }
            long now = ticker.nanoTime();
            long since = now - lastWait;
            if (since > 0) {
                double current = readSinceWait * 1e9 / since;
                eventsPerSecond += (current - eventsPerSecond) * Math.min(1.0, since / (double) RATE_HORIZON_NANOS);
            }
            lastWait = now;
            boolean following = readSinceWait < BEHIND;
            readSinceWait = 0;
            boolean busy = eventsPerSecond * lingerNanos / 1e9 >= BUSY_EVENTS_PER_LINGER;
            long timeoutNanos = unit.toNanos(timeout);
            long pause = batchBegan + lingerNanos - now;
            if (following && busy && pause > 0) {
                ticker.sleep(Math.min(pause, timeoutNanos));
                timeoutNanos -= ticker.nanoTime() - now;
            }
            boolean available = stream.hasNextAvailable((int) Math.max(0, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)),
                    TimeUnit.MILLISECONDS);
            if (available) {
                batchBegan = ticker.nanoTime();
            }
            return available;
        }

        @Override
        public boolean hasNextAvailable() {
            return stream.hasNextAvailable();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            readSinceWait++;
            return stream.nextAvailable();
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return stream.peek();
        }

        @Override
        public void close() {
            stream.close();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            stream.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            return stream.setOnAvailableCallback(callback);
        }
    }
}
