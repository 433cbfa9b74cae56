package io.annals.query.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rebuild's replay, without Elasticsearch or PostgreSQL: Axon's in-memory event store and token store, and a
 * projection that records what it is given. Every event once, each stream's events in order in one lane, batches of
 * the size asked for, and tokens the processor can go on from whatever the outcome.
 */
class LogReplayTest {

    private static final String PROJECTION = "test-projection";
    private static final int STREAMS = 7;
    private static final int EVENTS = 1_000;

    /** An event of the test log: its number in the log. */
    record Step(int number) {
    }

    /** Records every event it handles, by stream, and the size of the batch it came in. */
    static final class Recorder {
        final Map<String, List<Long>> sequences = new ConcurrentHashMap<>();
        final Set<Integer> handled = ConcurrentHashMap.newKeySet();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final Set<Integer> batchSizes = ConcurrentHashMap.newKeySet();
        final List<Integer> duplicates = new ArrayList<>();
        volatile int failAt = -1;
        volatile Runnable at500 = () -> { };

        @EventHandler
        void on(Step step, DomainEventMessage<?> event, TrackingToken token) {
            if (step.number() == failAt) {
                throw new IllegalStateException("cannot apply step " + step.number());
            }
            if (step.number() == 500) {
                at500.run();
            }
            assertThat(token.position()).hasValue(step.number());
            if (!handled.add(step.number())) {
                synchronized (duplicates) {
                    duplicates.add(step.number());
                }
            }
            sequences.computeIfAbsent(event.getAggregateIdentifier(), k -> new ArrayList<>())
                    .add(event.getSequenceNumber());
            threads.add(Thread.currentThread().getName());
            batchSizes.add(((BatchingUnitOfWork<?>) CurrentUnitOfWork.get().root()).getMessages().size());
        }
    }

    private EmbeddedEventStore log;
    private InMemoryTokenStore tokens;
    private Recorder recorder;
    private SimpleEventHandlerInvoker handlers;
    private TrackingToken head;

    @BeforeEach
    void appendTheLogAndResetTheProjection() {
        log = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
        long[] next = new long[STREAMS];
        log.publish(IntStream.range(0, EVENTS).mapToObj(i -> new GenericDomainEventMessage<>("Thing",
                "thing-" + i % STREAMS, next[i % STREAMS]++, new Step(i))).toList());
        head = log.createHeadToken();
        recorder = new Recorder();
        // as the platform configures every processor: a handler's failure fails its batch
        handlers = SimpleEventHandlerInvoker.builder().eventHandlers(recorder)
                .listenerInvocationErrorHandler(PropagatingErrorHandler.instance())
                .sequencingPolicy(SequentialPerAggregatePolicy.instance()).build();
        tokens = new InMemoryTokenStore();
        tokens.initializeTokenSegments(PROJECTION, 2, head);
        // what the processor's reset leaves: each segment replaying from the start up to where it was
        for (int segment : tokens.fetchSegments(PROJECTION)) {
            tokens.storeToken(ReplayToken.createReplayToken(head), PROJECTION, segment);
        }
    }

    @AfterEach
    void shutDown() {
        log.shutDown();
    }

    private LogReplay replay(int lanes, int batchSize) {
        return new LogReplay(PROJECTION, handlers, log, tokens, NoTransactionManager.instance(), lanes, batchSize,
                fromTheStart -> Map.of("fromTheStart", fromTheStart));
    }

    @Test
    void givenALog_whenReplayed_thenEveryEventOnceInStreamOrderInBatches_andTheTokensAtTheHead() throws Exception {
        LogReplay replay = replay(3, 40);

        assertThat(replay.run()).isEqualTo(LogReplay.Outcome.DONE);

        assertThat(recorder.handled).hasSize(EVENTS);
        assertThat(recorder.duplicates).isEmpty();
        assertThat(recorder.sequences).hasSize(STREAMS).allSatisfy((stream, sequence) ->
                assertThat(sequence).isSorted().doesNotHaveDuplicates());
        assertThat(recorder.threads).as("lanes applying side by side").hasSizeGreaterThan(1)
                .allSatisfy(name -> assertThat(name).startsWith("annals-replay[" + PROJECTION + "]-"));
        assertThat(recorder.batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 40))
                .as("full batches while the log lasts").contains(40);
        assertThat(replay.events()).isEqualTo(EVENTS);
        assertThat(replay.position()).isEqualTo(EVENTS - 1);
        for (int segment : tokens.fetchSegments(PROJECTION)) {
            TrackingToken token = tokens.fetchToken(PROJECTION, segment);
            assertThat(token).as("past the reset: the processor goes on live").isNotInstanceOf(ReplayToken.class);
            assertThat(token.position()).hasValue(EVENTS - 1);
        }
    }

    @Test
    void givenAnInvokerItCannotReadTheSequencingOf_thenLanesAreMatchedThroughTheInvoker() throws Exception {
        // two handler components of one projection: Axon's invoker of invokers, whose policies it does not expose
        Object other = new Object() {
            @EventHandler
            void on(String unrelated) {
            }
        };
        LogReplay replay = new LogReplay(PROJECTION, new MultiEventHandlerInvoker(handlers,
                SimpleEventHandlerInvoker.builder().eventHandlers(other).build()), log, tokens,
                NoTransactionManager.instance(), 3, 40, fromTheStart -> Map.of());

        assertThat(replay.run()).isEqualTo(LogReplay.Outcome.DONE);

        assertThat(recorder.handled).hasSize(EVENTS);
        assertThat(recorder.duplicates).isEmpty();
        assertThat(recorder.sequences).allSatisfy((stream, sequence) -> assertThat(sequence).isSorted());
        assertThat(recorder.threads).hasSizeGreaterThan(1);
    }

    @Test
    void givenALaneThatCannotApplyABatch_thenFailedWithTheReason_andTheTokensWhereEveryEventBeforeIsApplied()
            throws Exception {
        recorder.failAt = 637;
        LogReplay replay = replay(2, 25);

        assertThat(replay.run()).isEqualTo(LogReplay.Outcome.FAILED);

        assertThat(replay.failure()).hasMessage("cannot apply step 637");
        assertThat(recorder.handled).doesNotContain(637);
        for (int segment : tokens.fetchSegments(PROJECTION)) {
            TrackingToken token = tokens.fetchToken(PROJECTION, segment);
            assertThat(token).as("still replaying: the processor replays the rest").isInstanceOf(ReplayToken.class);
            long stored = token.position().orElseThrow();
            assertThat(stored).isLessThan(637).isEqualTo(replay.position());
            assertThat(recorder.handled).containsAll(IntStream.rangeClosed(0, (int) stored).boxed().toList());
        }
    }

    @Test
    void givenCancelledHalfWay_thenTheTokensWhereEveryEventBeforeIsApplied() throws Exception {
        AtomicReference<LogReplay> running = new AtomicReference<>();
        recorder.at500 = () -> running.get().cancel();
        LogReplay replay = replay(2, 25);
        running.set(replay);

        assertThat(replay.run()).isEqualTo(LogReplay.Outcome.CANCELLED);

        long stored = tokens.fetchToken(PROJECTION, 0).position().orElseThrow();
        assertThat(stored).isLessThan(EVENTS - 1).isEqualTo(tokens.fetchToken(PROJECTION, 1).position().orElseThrow());
        assertThat(recorder.handled).containsAll(IntStream.rangeClosed(0, (int) stored).boxed().toList());
        assertThat(recorder.duplicates).isEmpty();
    }

    @Test
    void givenSegmentsAtDifferentPositions_thenSkippedAndNothingApplied() throws Exception {
        // segment 1 as the reset left it (from the start), segment 0 replaying already
        tokens.storeToken(ReplayToken.createReplayToken(head,
                new org.axonframework.eventhandling.GlobalSequenceTrackingToken(100)), PROJECTION, 0);

        assertThat(replay(2, 25).run()).isEqualTo(LogReplay.Outcome.SKIPPED);

        assertThat(recorder.handled).isEmpty();
        assertThat(tokens.fetchToken(PROJECTION, 0).position()).hasValue(100);
    }
}
