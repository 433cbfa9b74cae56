package io.annals.command.domain.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.axonframework.common.DateTimeUtils;
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
}
