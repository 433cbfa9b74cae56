package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.workers.events.WorkerSnapshots;
import io.annals.workers.events.WorkerSnapshots.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A start finds its kind's latest snapshot on the real compacted topic, reading from the end backwards: whether it is
 * the last record or hundreds of records of other kinds were written after it.
 */
class WorkerSnapshotsTest extends PlatformTestSupport {

    private static Snapshot snapshot(String kind, int n) {
        return new Snapshot(kind, Instant.parse("2026-12-03T08:00:00Z").plusSeconds(n), Map.of(0, (long) n),
                List.of("event-" + n), List.of());
    }

    @Test
    void givenAKindsSnapshotsFollowedByManyOfOtherKinds_whenAWorkerStarts_thenItReadsItsLatest_andNoneForAnUnknownKind() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String early = "early-" + id;
        String busy = "busy-" + id;
        try (WorkerSnapshots snapshots = new WorkerSnapshots(kafka, Duration.ofSeconds(30), 5000)) {
            for (int n = 1; n <= 3; n++) {
                snapshots.write(snapshot(early, n));
            }
            // more than the first windows (16, then 64) of other kinds after it
            for (int n = 1; n <= 120; n++) {
                snapshots.write(snapshot(busy, n));
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(snapshots.latest(busy))
                    .map(Snapshot::offsets).contains(Map.of(0, 120L)));
            Optional<Snapshot> found = snapshots.latest(early);
            assertThat(found).isPresent();
            assertThat(found.get().offsets()).isEqualTo(Map.of(0, 3L));
            assertThat(found.get().takenAt()).isEqualTo(Instant.parse("2026-12-03T08:00:03Z"));
            assertThat(found.get().recentIds()).containsExactly("event-3");
            assertThat(snapshots.latest("never-" + id)).isEmpty();
        }
    }
}
