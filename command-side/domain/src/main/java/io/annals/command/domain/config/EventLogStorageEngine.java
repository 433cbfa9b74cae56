package io.annals.command.domain.config;

import io.annals.infra.clients.Instants;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

/**
 * Axon's JDBC event storage engine, reading each event's timestamp once, by arithmetic. Axon keeps the timestamp
 * as the text it was stored as and parses it through {@code DateTimeFormatter} each time it is asked: twice for each
 * event a processor reads (once to decide whether a gap before it may still fill, once for the message), which was a
 * tenth of a projection rebuild's CPU. The events, and the tracking tokens made for them, are exactly Axon's.
 *
 * <p>It also paces the reads of the log's head. Axon's embedded event store has one thread that reads new events
 * for every processor of the process: it reads again as soon as a read found anything, and is woken by every
 * commit, so under a steady stream of commands it queries PostgreSQL once or twice per command (a transaction
 * each, 0.5–0.7 per command over GraphQL in {@code CommandScaleBenchmarkIT}). Here a thread starts a read that may
 * wait for new events (Axon's {@code mayBlock}: the store's reader, and a processor that fell behind it) at most once
 * per {@code readInterval}, pausing for the rest when it comes sooner; a read of a backlog goes on without pause
 * (Axon reads on while its batches come back full), and the first read after a quiet moment goes at once.
 */
final class EventLogStorageEngine extends JdbcEventStorageEngine {

    /** Axon's defaults, given to its builder and kept here for the tracking tokens made the same way. */
    static final long LOWEST_GLOBAL_SEQUENCE = 1;
    static final int MAX_GAP_OFFSET = 10_000;
    static final int GAP_TIMEOUT_MILLIS = 60_000;

    /** Axon's default table and column names, given to its builder and read here. */
    private static final EventSchema SCHEMA = new EventSchema();

    private final long readIntervalNanos;
    /** When this thread last started a read of the log's head. */
    private final ThreadLocal<long[]> lastRead;

    /**
     * @param builder      a builder from {@link #configured()}, which holds the schema and the constants above
     * @param readInterval the shortest time between two reads of the log's head by one thread (zero: no pause)
     */
    EventLogStorageEngine(Builder builder, Duration readInterval) {
        super(builder);
        if (readInterval.isNegative() || readInterval.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("annals.events.read-interval must be between 0 and 1 s, got "
                    + readInterval);
        }
        this.readIntervalNanos = readInterval.toNanos();
        this.lastRead = ThreadLocal.withInitial(() -> new long[] {System.nanoTime() - readIntervalNanos});
    }

    static Builder configured() {
        return JdbcEventStorageEngine.builder().schema(SCHEMA).lowestGlobalSequence(LOWEST_GLOBAL_SEQUENCE)
                .maxGapOffset(MAX_GAP_OFFSET).gapTimeout(GAP_TIMEOUT_MILLIS);
    }

    @Override
    protected Stream<? extends TrackedEventData<?>> readEventData(TrackingToken trackingToken, boolean mayBlock) {
        if (mayBlock && readIntervalNanos > 0) {
            long[] last = lastRead.get();
            long due = last[0] + readIntervalNanos;
            // parking may end early: park again until due; an interrupt ends the pause and stays set for the read
            for (long pause = due - System.nanoTime(); pause > 0 && !Thread.currentThread().isInterrupted();
                 pause = due - System.nanoTime()) {
                LockSupport.parkNanos(pause);
            }
            last[0] = System.nanoTime();
        }
        return super.readEventData(trackingToken, mayBlock);
    }

    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
            throws SQLException {
        long globalIndex = resultSet.getLong(SCHEMA.globalIndexColumn());
        DomainEventData<?> event = entry(resultSet, true);
        // a gap before an event younger than the gap timeout may still fill (a transaction not committed yet)
        boolean gapsMayFill = event.getTimestamp()
                .isAfter(GenericEventMessage.clock.instant().minusMillis(GAP_TIMEOUT_MILLIS));
        GapAwareTrackingToken token;
        if (previousToken == null) {
            token = GapAwareTrackingToken.newInstance(globalIndex, gapsMayFill
                    ? LongStream.range(Math.min(LOWEST_GLOBAL_SEQUENCE, globalIndex), globalIndex).boxed()
                    .collect(Collectors.toCollection(TreeSet::new))
                    : Collections.emptySortedSet());
        } else {
            token = previousToken.advanceTo(globalIndex, gapsMayFill ? MAX_GAP_OFFSET : 0);
        }
        return new TrackedDomainEventData<>(token, event);
    }

    @Override
    protected DomainEventData<?> getDomainEventData(ResultSet resultSet) throws SQLException {
        return entry(resultSet, false);
    }

    /**
     * @param tracked whether the row is read for a processor: an event published outside an aggregate is stored
     *                with its own id as aggregate id, which Axon gives a processor as no aggregate at all
     */
    private DomainEventData<?> entry(ResultSet resultSet, boolean tracked) throws SQLException {
        String aggregateIdentifier = resultSet.getString(SCHEMA.aggregateIdentifierColumn());
        String eventIdentifier = resultSet.getString(SCHEMA.eventIdentifierColumn());
        Object stored = readTimeStamp(resultSet, SCHEMA.timestampColumn());
        return new ParsedTimestampEntry(resultSet.getString(SCHEMA.typeColumn()),
                tracked && eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                resultSet.getLong(SCHEMA.sequenceNumberColumn()), eventIdentifier, stored, instant(stored),
                resultSet.getString(SCHEMA.payloadTypeColumn()), resultSet.getString(SCHEMA.payloadRevisionColumn()),
                readPayload(resultSet, SCHEMA.payloadColumn()), readPayload(resultSet, SCHEMA.metaDataColumn()));
    }

    /** The stored timestamp as an instant: by arithmetic in the form Axon writes, else as Axon reads it. */
    static Instant instant(Object stored) {
        String text = stored.toString();
        Instant fast = Instants.parseUtc(text);
        return fast != null ? fast : DateTimeUtils.parseInstant(text);
    }

    /** An event as Axon's entry holds it, with its timestamp parsed once. */
    private static final class ParsedTimestampEntry extends GenericDomainEventEntry<Object> {

        private final Instant timestamp;

        ParsedTimestampEntry(String type, String aggregateIdentifier, long sequenceNumber, String eventIdentifier,
                             Object storedTimestamp, Instant timestamp, String payloadType, String payloadRevision,
                             Object payload, Object metaData) {
            super(type, aggregateIdentifier, sequenceNumber, eventIdentifier, storedTimestamp, payloadType,
                    payloadRevision, payload, metaData);
            this.timestamp = timestamp;
        }

        @Override
        public Instant getTimestamp() {
            return timestamp;
        }
    }
}
