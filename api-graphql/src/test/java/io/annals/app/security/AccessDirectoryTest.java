package io.annals.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.annals.app.records.CommandRecords;
import io.annals.command.api.access.ApiTokenId;
import io.annals.command.api.access.Role;
import io.annals.command.api.access.RoleGranted;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a process answers about a caller's access when the record answers, changes, or cannot be read. */
class AccessDirectoryTest {

    private static final Actor ANA = Actor.of("user:ana");

    /** A record of one access stream that can be told to be unreachable. */
    private static final class Record implements CommandRecords {
        final List<StoredEvent> events = new ArrayList<>();
        boolean down;
        int reads;

        @Override
        public List<StoredEvent> stream(StreamId stream, Instant upTo) {
            reads++;
            if (down) {
                throw new DomainException(DomainException.Code.UNAVAILABLE, "no command process can be reached");
            }
            return List.copyOf(events);
        }

        @Override
        public Optional<StoredEvent> first(StreamId stream) {
            return events.stream().findFirst();
        }

        @Override
        public List<Actor> principals() {
            return List.of(ANA);
        }

        @Override
        public Optional<DatasetSchema> schema(DatasetName dataset) {
            return Optional.empty();
        }

        @Override
        public Optional<BatchInput> batch(BatchRef batch) {
            return Optional.empty();
        }

        @Override
        public void tokenUsed(ApiTokenId token, Instant at) {
        }

        @Override
        public Map<ApiTokenId, Instant> tokensLastUsed(Collection<ApiTokenId> tokens) {
            return Map.of();
        }
    }

    private static void grant(Record record, Role role) {
        record.events.add(new CommandRecords.StoredEvent(record.events.size(), new RoleGranted(ANA, role),
                Instant.now(), Actor.of("user:admin")));
    }

    @Test
    void givenAKeptAnswer_whenTheRecordChangesWithinItsTime_thenTheKeptAnswerHolds_untilForgotten() {
        Record record = new Record();
        grant(record, Role.VIEWER);
        AccessDirectory directory = new AccessDirectory(record, Duration.ofMinutes(1), Duration.ofMinutes(5));
        assertThat(directory.current(ANA).roles()).containsOnlyKeys(Role.VIEWER);
        grant(record, Role.DEPLOYER);
        assertThat(directory.current(ANA).roles()).containsOnlyKeys(Role.VIEWER);
        assertThat(record.reads).isEqualTo(1);
        directory.forget(ANA);
        assertThat(directory.current(ANA).roles()).containsOnlyKeys(Role.VIEWER, Role.DEPLOYER);
    }

    @Test
    void givenTheRecordCannotBeRead_whenAnAnswerWasReadBefore_thenItIsUsedForABoundedTime_andNeverWithoutOne() {
        Record record = new Record();
        grant(record, Role.VIEWER);
        AccessDirectory tolerant = new AccessDirectory(record, Duration.ZERO, Duration.ofMinutes(5));
        assertThat(tolerant.current(ANA).roles()).containsOnlyKeys(Role.VIEWER);
        record.down = true;
        assertThat(tolerant.current(ANA).roles()).as("the answer read before").containsOnlyKeys(Role.VIEWER);
        assertThat(record.reads).as("it tried the record first").isEqualTo(2);

        // a principal never read before is not let through on a guess
        Throwable unknown = catchThrowable(() -> tolerant.current(Actor.of("user:bob")));
        assertThat(unknown).isInstanceOf(DomainException.class).hasMessageContaining("no command process");

        // and with no tolerance, the outage is the answer
        record.down = false;
        AccessDirectory strict = new AccessDirectory(record, Duration.ZERO, Duration.ZERO);
        strict.current(ANA);
        record.down = true;
        Throwable refused = catchThrowable(() -> strict.current(ANA));
        assertThat(((DomainException) refused).code()).isEqualTo(DomainException.Code.UNAVAILABLE);
    }
}
