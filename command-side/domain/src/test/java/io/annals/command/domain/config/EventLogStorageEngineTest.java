package io.annals.command.domain.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

class EventLogStorageEngineTest {

    @Test
    void readsEveryTimestampAxonWritesAsAxonReadsIt() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(Instant.parse("1970-01-01T00:00:00Z")
                    .getEpochSecond(), Instant.parse("2200-01-01T00:00:00Z").getEpochSecond()),
                    random.nextInt(1_000_000_000));
            String stored = DateTimeUtils.formatInstant(instant);
            assertThat(EventLogStorageEngine.instant(stored)).as(stored).isEqualTo(DateTimeUtils.parseInstant(stored));
        }
    }

    @Test
    void readsOtherFormsAsAxonDoes() {
        for (String stored : new String[] {"2026-12-02T09:23:06+01:00", "2026-12-02T09:23:06.5Z",
                "2026-12-02T09:23:06Z", "2026-12-02T09:23:06.123456789Z"}) {
            assertThat(EventLogStorageEngine.instant(stored)).as(stored).isEqualTo(DateTimeUtils.parseInstant(stored));
        }
    }

    /** An engine whose reads are never run (its streams are lazy): what is tested is the pause before them. */
    private static EventLogStorageEngine withReadInterval(Duration interval) {
        return new EventLogStorageEngine(EventLogStorageEngine.configured()
                .connectionProvider(() -> {
                    throw new SQLException("no database in this test");
                })
                .transactionManager(NoTransactionManager.instance())
                .snapshotSerializer(JacksonSerializer.defaultSerializer())
                .eventSerializer(JacksonSerializer.defaultSerializer()), interval);
    }

    @Test
    void aThreadReadsTheLogsHeadAtMostOncePerInterval() {
        EventLogStorageEngine engine = withReadInterval(Duration.ofMillis(50));
        long first = System.nanoTime();
        engine.readEventData(null, true);

        engine.readEventData(null, true);

        assertThat(System.nanoTime() - first).as("nanoseconds from the first read's start to the second's")
                .isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    }

    @Test
    void aReadThatDoesNotFollowTheHeadAndAnEngineWithoutIntervalNeverPause() {
        EventLogStorageEngine paced = withReadInterval(Duration.ofSeconds(1));
        paced.readEventData(null, true);
        long before = System.nanoTime();

        // an aggregate's events, a replay's bounded read: Axon's mayBlock is false
        paced.readEventData(null, false);
        EventLogStorageEngine unpaced = withReadInterval(Duration.ZERO);
        unpaced.readEventData(null, true);
        unpaced.readEventData(null, true);

        // far below the interval of one second that a pause would have taken
        assertThat(System.nanoTime() - before).isLessThan(Duration.ofMillis(500).toNanos());
    }

    @Test
    void anIntervalAboveASecondIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> withReadInterval(Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("annals.events.read-interval");
    }
}
