package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * The platform's event storage engine (Axon's JDBC engine reading timestamps once, by arithmetic) gives processors
 * and aggregates exactly what Axon's own engine gives them from the same PostgreSQL log: the same events, timestamps
 * and tracking tokens.
 */
class EventLogReadingTest extends PlatformTestSupport {

    @Autowired
    EventStorageEngine engine;
    @Autowired
    ConnectionProvider connections;
    @Autowired
    TransactionManager transactions;
    @Autowired
    Serializer serializer;
    @Autowired
    @Qualifier("eventSerializer")
    Serializer events;

    @Test
    void givenTheLog_whenReadForAProcessorAndForAnAggregate_thenEverythingIsAsAxonsOwnEngineReadsIt() {
        ingest("event-log-data", csv(20, 5));
        JdbcEventStorageEngine axon = JdbcEventStorageEngine.builder().snapshotSerializer(serializer)
                .eventSerializer(events).connectionProvider(connections).transactionManager(transactions)
                .batchSize(500).build();

        List<String> ours = transactions.fetchInTransaction(() -> engine.readEvents(null, false).limit(3_000)
                .map(EventLogReadingTest::describe).collect(Collectors.toList()));
        List<String> theirs = transactions.fetchInTransaction(() -> axon.readEvents(null, false).limit(3_000)
                .map(EventLogReadingTest::describe).collect(Collectors.toList()));
        assertThat(ours).hasSizeGreaterThanOrEqualTo(2).isEqualTo(theirs);

        List<String> stream = transactions.fetchInTransaction(() -> engine.readEvents("dataset:event-log-data")
                .asStream().map(EventLogReadingTest::describe).collect(Collectors.toList()));
        assertThat(stream).hasSizeGreaterThanOrEqualTo(2).isEqualTo(transactions.fetchInTransaction(() ->
                axon.readEvents("dataset:event-log-data").asStream().map(EventLogReadingTest::describe)
                        .collect(Collectors.toList())));
    }

    private static String describe(Object message) {
        StringBuilder text = new StringBuilder();
        var event = (org.axonframework.eventhandling.EventMessage<?>) message;
        if (message instanceof TrackedEventMessage<?> tracked) {
            // whether gaps before an event may still fill depends on its age when read (a minute, in both engines):
            // the two reads are a moment apart, so an event about a minute old may be read on either side of it
            long age = Duration.between(event.getTimestamp(), Instant.now()).toMillis();
            text.append(Math.abs(age - 60_000) < 10_000 ? "(about a minute old)" : tracked.trackingToken()).append(' ');
        }
        if (message instanceof DomainEventMessage<?> domain) {
            text.append(domain.getType()).append('/').append(domain.getAggregateIdentifier()).append('#')
                    .append(domain.getSequenceNumber()).append(' ');
        }
        return text.append(event.getIdentifier()).append(' ').append(event.getTimestamp()).append(' ')
                .append(event.getPayloadType().getName()).append(' ').append(event.getMetaData()).toString();
    }
}
