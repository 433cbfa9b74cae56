package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.query.rebuild.RebuildRequests;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The rebuild requests query processes share, on the real PostgreSQL: who holds one, and when it goes stale. */
class RebuildRequestsTest extends PlatformTestSupport {

    @Autowired
    DataSource dataSource;

    private final String projection = "test-projection-" + UUID.randomUUID();

    private void ageHeartbeat(Duration by) {
        jdbc.update("update annals_projection_rebuilds set heartbeat_at = heartbeat_at - ?::interval "
                + "where projection = ?", by.toMillis() + " milliseconds", projection);
    }

    @Test
    void aRequestIsOneProcesssUntilItCloses_orStopsBeating() {
        RebuildRequests requests = new RebuildRequests(dataSource, Duration.ofSeconds(30));

        assertThat(requests.open(projection, "a")).as("a opens it").isNull();
        RebuildRequests.Request seenByB = requests.open(projection, "b");
        assertThat(seenByB).as("b is told who rebuilds").isNotNull();
        assertThat(seenByB.requestedBy()).isEqualTo("a");
        assertThat(requests.open(projection, "a")).as("a renews its own").isNull();
        assertThat(requests.live().get(projection).requestedAt()).isEqualTo(seenByB.requestedAt());
        requests.close(projection, "b");
        assertThat(requests.live()).as("b cannot close a's live request").containsKey(projection);

        // a stops beating: its request is no longer live, and b takes it over (once)
        ageHeartbeat(Duration.ofMinutes(1));
        assertThat(requests.live()).doesNotContainKey(projection);
        assertThat(requests.exists(projection)).isTrue();
        assertThat(requests.takeOverStale(projection, "b")).isTrue();
        assertThat(requests.takeOverStale(projection, "c")).as("b's is live now").isFalse();
        assertThat(requests.live().get(projection).requestedBy()).isEqualTo("b");

        // a stale request is taken over by opening too, and closed by anyone
        ageHeartbeat(Duration.ofMinutes(1));
        assertThat(requests.open(projection, "c")).isNull();
        assertThat(requests.live().get(projection).requestedBy()).isEqualTo("c");
        ageHeartbeat(Duration.ofMinutes(1));
        requests.close(projection, "a");
        assertThat(requests.exists(projection)).isFalse();
    }
}
