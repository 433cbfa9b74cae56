package io.annals.query.rebuild;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;

/**
 * The bulk of a rebuild: the log, from where the projection's reset left its segments to the head of the log as it is
 * when this starts, replayed into the projection's new generation in one pass, outside the projection's event
 * processor (which is stopped meanwhile and goes on from where this stops, live).
 * <p>
 * Why not let the processor replay it (as it still does for whatever this leaves): each of the processor's segments
 * reads the whole log and takes every event through Axon's tracking machinery one by one, and waits for its bulk
 * request before it reads on. Here one reader reads the log once and hands each event the projection handles to one
 * of a few lanes, split by the projection's own sequencing policy, so that all the events of one document go to one
 * lane, in log order; each lane applies its batches through the projection's own handlers (Axon's invoker, in a
 * batching unit of work, so a batch is one {@code _bulk} request), while the reader reads on.
 * <p>
 * Its tokens: it claims the projection's segments, and every few seconds stores in each the token its reset left
 * ({@link ReplayToken}) advanced to the position every lane has passed, so that a process that stops half-way leaves a
 * replay that the processor (here after a restart, or in the query process that takes the rebuild over) resumes from
 * there; at the end it stores the position reached and lets go of the segments.
 */
final class LogReplay {

    /** How a replay ended. */
    enum Outcome {
        /** Replayed up to the head it saw when it started. */
        DONE,
        /** Not started: the segments are not at one position (the processor was replaying already); nothing written. */
        SKIPPED,
        /** A lane could not apply a batch; the replay stopped at the last position every lane had passed. */
        FAILED,
        /** Stopped from outside (the process is stopping) at the last position every lane had passed. */
        CANCELLED
    }

    private static final long STORE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** How many batches the reader may run ahead of a lane. */
    private static final int LANE_QUEUE = 2;

    private final String projection;
    private final EventHandlerInvoker handlers;
    private final StreamableMessageSource<TrackedEventMessage<?>> log;
    private final TokenStore tokens;
    private final TransactionManager transactions;
    private final int batchSize;
    private final Function<Boolean, Map<String, Object>> laneResources;
    private final SequencingPolicy<? super EventMessage<?>> sequencing;
    /** The projection's one invoker, when it is Axon's simple one: lanes hand it their events directly. */
    private final SimpleEventHandlerInvoker single;
    /** Whether the projection handles a payload type at all, as its invoker answers, asked once per type. */
    private final Map<Class<?>, Boolean> handledTypes = new HashMap<>();
    private final List<Lane> lanes = new ArrayList<>();
    /** Whether the replay began at the start of the log (into empty read models). */
    private volatile boolean fromTheStart;
    private volatile boolean cancelled;
    private volatile Throwable failure;
    /** Where the replay started: the position before the first event it reads. */
    private volatile long start = -1;
    private volatile long events;

    /**
     * @param lanes     how many threads apply batches side by side (each document's events stay in one)
     * @param batchSize how many events a lane applies in one unit of work, one {@code _bulk} request
     * @param laneResources what each lane puts in the resources of its units of work, made once per lane (given
     *                      whether the replay began at the start of the log)
     */
    @SuppressWarnings("unchecked")
    LogReplay(String projection, EventHandlerInvoker handlers, StreamableMessageSource<?> log, TokenStore tokens,
              TransactionManager transactions, int lanes, int batchSize,
              Function<Boolean, Map<String, Object>> laneResources) {
        this.projection = projection;
        this.handlers = handlers;
        this.log = (StreamableMessageSource<TrackedEventMessage<?>>) log;
        this.tokens = tokens;
        this.transactions = transactions;
        this.batchSize = batchSize;
        this.laneResources = laneResources;
        this.single = singleOf(handlers);
        this.sequencing = single == null ? null : single.getSequencingPolicy();
        for (Segment segment : Segment.splitBalanced(Segment.ROOT_SEGMENT, lanes - 1)) {
            this.lanes.add(new Lane(segment));
        }
    }

    /** The log position every lane has passed (where it started, before the first batch). */
    long position() {
        TrackingToken reached = reached();
        return reached == null ? start : reached.position().orElse(start);
    }

    /** The token of the last batch every lane has applied, or null before the first. */
    private TrackingToken reached() {
        Batch behind = null;
        for (Lane lane : lanes) {
            Batch done = lane.done;
            if (done == null) {
                return null;
            }
            if (behind == null || done.number() < behind.number()) {
                behind = done;
            }
        }
        return behind == null ? null : behind.last();
    }

    /** How many events the reader has handed to lanes. */
    long events() {
        return events;
    }

    /** The reason a replay {@link Outcome#FAILED}. */
    Throwable failure() {
        return failure;
    }

    /** Stops the replay at the next batch; {@link #run()} then stores where every lane got to and returns. */
    void cancel() {
        cancelled = true;
    }

    /** Replays on the calling thread (the reader), with its lanes on threads of their own, until one of the outcomes. */
    Outcome run() throws InterruptedException {
        int[] segments = tokens.fetchSegments(projection);
        TrackingToken[] claimed = new TrackingToken[segments.length];
        transactions.executeInTransaction(() -> {
            for (int i = 0; i < segments.length; i++) {
                claimed[i] = tokens.fetchToken(projection, segments[i]);
            }
        });
        try {
            if (segments.length == 0) {
                return Outcome.SKIPPED;
            }
            TrackingToken from = WrappedToken.unwrapLowerBound(claimed[0]);
            for (TrackingToken token : claimed) {
                if (!Objects.equals(from, WrappedToken.unwrapLowerBound(token))) {
                    return Outcome.SKIPPED;
                }
            }
            this.start = from == null ? -1 : from.position().orElse(-1);
            TrackingToken tail = log.createTailToken();
            this.fromTheStart = from == null || tail != null && tail.covers(from);
            return replay(from, segments, claimed);
        } finally {
            transactions.executeInTransaction(() -> {
                for (int segment : segments) {
                    tokens.releaseClaim(projection, segment);
                }
            });
        }
    }

    private Outcome replay(TrackingToken from, int[] segments, TrackingToken[] claimed)
            throws InterruptedException {
        TrackingToken head = log.createHeadToken();
        long until = head == null ? -1 : head.position().orElse(-1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            Thread thread = new Thread(lanes.get(i), "annals-replay[" + projection + "]-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        long batch = 0;
        long storedNanos = System.nanoTime();
        TrackingToken stored = null;
        try (BlockingStream<TrackedEventMessage<?>> stream = log.openStream(from)) {
            boolean more = until > this.start;
            while (more && !cancelled && failure == null) {
                List<List<EventMessage<?>>> split = new ArrayList<>(lanes.size());
                for (int i = 0; i < lanes.size(); i++) {
                    split.add(new ArrayList<>(batchSize));
                }
                TrackingToken last = null;
                int read = 0;
                boolean full = false;
                while (!full && read < batchSize * lanes.size() && stream.hasNextAvailable()) {
                    TrackedEventMessage<?> event = stream.nextAvailable();
                    last = event.trackingToken();
                    read++;
                    if (!handledTypes.computeIfAbsent(event.getPayloadType(), handlers::canHandleType)) {
                        stream.skipMessagesWithPayloadTypeOf(event);
                    } else {
                        int i = lane(event);
                        if (i >= 0) {
                            List<EventMessage<?>> lane = split.get(i);
                            lane.add(event);
                            full = lane.size() >= batchSize;
                        }
                    }
                    if (last.position().orElse(Long.MAX_VALUE) >= until) {
                        more = false;
                        break;
                    }
                }
                if (last == null) {
                    break;
                }
                events += read;
                batch++;
                for (int i = 0; i < lanes.size(); i++) {
                    hand(lanes.get(i), new Batch(batch, split.get(i), last));
                }
                if (System.nanoTime() - storedNanos >= STORE_EVERY_NANOS) {
                    stored = store(segments, claimed, stored, false);
                    storedNanos = System.nanoTime();
                }
            }
        } finally {
            boolean stopping = cancelled || failure != null;
            for (Lane lane : lanes) {
                if (stopping) {
                    // a lane that failed takes nothing more, and what is queued is not applied anyway
                    lane.queue.clear();
                    lane.queue.offer(Batch.END);
                } else {
                    lane.queue.put(Batch.END);
                }
            }
            for (Thread thread : threads) {
                if (cancelled) {
                    thread.interrupt();
                }
                thread.join();
            }
            store(segments, claimed, stored, !cancelled && failure == null);
        }
        return failure != null ? Outcome.FAILED : cancelled ? Outcome.CANCELLED : Outcome.DONE;
    }

    /**
     * The lane an event goes to, or -1 when the projection has no handler for it. With the sequencing policy of the
     * projection's invoker at hand, the event's sequence is worked out once rather than once per lane, and an event of
     * a type the projection handles goes to its lane without asking each handler first (Axon's invoker asks them
     * again when the lane hands it the event, and one that no handler takes changes nothing there).
     */
    private int lane(EventMessage<?> event) {
        if (sequencing == null) {
            for (int i = 0; i < lanes.size(); i++) {
                if (handlers.canHandle(event, lanes.get(i).segment)) {
                    return i;
                }
            }
            return -1;
        }
        if (lanes.size() == 1) {
            return 0;
        }
        // as Axon's invoker matches a segment: the hash of the sequence, or of the event's id when it has none
        Object sequence = sequencing.getSequenceIdentifierFor(event);
        int hash = Objects.hashCode(sequence == null ? event.getIdentifier() : sequence);
        for (int i = 0; i < lanes.size(); i++) {
            if (lanes.get(i).segment.matches(hash)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The one simple invoker of a projection (Axon's configuration wraps it in an invoker of invokers), or null when
     * the invoker is not one Axon's builder makes.
     */
    private static SimpleEventHandlerInvoker singleOf(EventHandlerInvoker handlers) {
        EventHandlerInvoker single = handlers;
        if (handlers instanceof MultiEventHandlerInvoker multi && multi.delegates().size() == 1) {
            single = multi.delegates().get(0);
        }
        return single instanceof SimpleEventHandlerInvoker simple ? simple : null;
    }

    /** Hands a batch to a lane, waiting while the lane is behind, unless the replay stops meanwhile. */
    private void hand(Lane lane, Batch batch) throws InterruptedException {
        while (!lane.queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            if (cancelled || failure != null) {
                return;
            }
        }
    }

    /**
     * Stores in every segment the token its reset left, advanced to where every lane has got to (unless that is where
     * the last store left it). At the end, a segment whose replay has come as far as the position it was reset at
     * leaves its replay: Axon would keep it replaying until the next event past that position, which on a quiet log
     * may be a long time, and the rebuild is only swapped in when no segment is replaying.
     *
     * @return the position stored
     */
    private TrackingToken store(int[] segments, TrackingToken[] claimed, TrackingToken stored, boolean finished) {
        TrackingToken reached = reached();
        if (reached == null || reached.equals(stored) && !finished) {
            return stored;
        }
        transactions.executeInTransaction(() -> {
            for (int i = 0; i < segments.length; i++) {
                tokens.storeToken(advance(claimed[i], reached, finished), projection, segments[i]);
            }
        });
        return reached;
    }

    static TrackingToken advance(TrackingToken claimed, TrackingToken reached, boolean finished) {
        if (!(claimed instanceof ReplayToken replay)) {
            return reached;
        }
        TrackingToken atReset = WrappedToken.unwrapUpperBound(replay.getTokenAtReset());
        if (finished && (atReset == null || reached.covers(atReset))) {
            return reached;
        }
        return replay.advancedTo(reached);
    }

    /** Some of a stretch of the log, for one lane, and the token of the stretch's last event. */
    private record Batch(long number, List<EventMessage<?>> events, TrackingToken last) {
        static final Batch END = new Batch(-1, List.of(), null);
    }

    /** A thread applying the batches of its share of the log, in order, one unit of work each. */
    private final class Lane implements Runnable {

        final Segment segment;
        final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(LANE_QUEUE);
        /** The last batch this lane has applied. */
        volatile Batch done;
        private Map<String, Object> resources = Map.of();

        Lane(Segment segment) {
            this.segment = segment;
        }

        @Override
        public void run() {
            try {
                resources = laneResources.apply(fromTheStart);
                while (true) {
                    Batch batch = queue.take();
                    if (batch == Batch.END || failure != null) {
                        return;
                    }
                    if (!batch.events().isEmpty()) {
                        apply(batch.events());
                    }
                    done = batch;
                }
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure = e;
            }
        }

        private void apply(List<EventMessage<?>> events) throws Throwable {
            BatchingUnitOfWork<EventMessage<?>> unit = new BatchingUnitOfWork<>(events);
            unit.resources().putAll(resources);
            ResultMessage<?> result = unit.executeWithResult(() -> {
                // the reader has matched each event to this lane's segment already
                (single != null ? single : handlers).handle(unit.getMessage(), Segment.ROOT_SEGMENT);
                return null;
            }, RollbackConfigurationType.ANY_THROWABLE);
            if (result.isExceptional()) {
                throw result.exceptionResult();
            }
        }
    }
}
