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
 * The event log as a processor that writes in batches should follow it: when it has caught up and the next event
 * comes less than {@code linger} after its previous batch began, it waits out the rest of the linger before
 * starting the next batch, so events that arrive meanwhile join it. A processor following a steady stream of events
 * thus starts at most one batch per linger, whatever the rate — one token update, one {@code _bulk} request — where
 * it would otherwise start one for every event or two that came while the last batch was written. After a quiet
 * moment the first event goes at once; a processor behind the log (more than {@link #BEHIND} events read since it
 * last waited) never lingers; and no event waits longer than the linger.
 *
 * <p>Axon's tracking processor asks its stream {@code hasNextAvailable(timeout)} once at the start of each batch
 * (and while the events it reads are all for other processors), and {@code hasNextAvailable()} without a wait
 * while it fills the batch; only the first lingers.
 */
public final class LingeringEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    /**
     * Events read since the last wait from which on the processor is behind the log rather than following it: the
     * batch size of every processor that reads through this source (application.yml), so that one whose batches
     * come back full never waits, and one that lingers still takes up to a full batch each time.
     */
    static final int BEHIND = 500;

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

        Lingering(BlockingStream<TrackedEventMessage<?>> stream, long lingerNanos, Ticker ticker) {
            this.stream = stream;
            this.lingerNanos = lingerNanos;
            this.ticker = ticker;
            this.batchBegan = ticker.nanoTime() - lingerNanos;
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (timeout <= 0) {
                return stream.hasNextAvailable();
            }
            boolean following = readSinceWait < BEHIND;
            readSinceWait = 0;
            long timeoutNanos = unit.toNanos(timeout);
            long now = ticker.nanoTime();
            long pause = batchBegan + lingerNanos - now;
            if (following && pause > 0) {
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
