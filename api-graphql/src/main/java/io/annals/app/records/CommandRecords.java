package io.annals.app.records;

import io.annals.command.api.access.ApiTokenId;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the API and the workers read from the record the command role keeps — the event store itself, never a
 * projection of it, so an answer is never behind a command that returned — and the little it writes beside it. A
 * process with the command role reads its event store and database ({@link LocalRecords}); any other process asks one
 * that has it ({@link RemoteRecords}, through {@code POST /internal/records}), and needs no database of its own.
 */
public interface CommandRecords {

    /** One stored event: its published-language payload, when it was stored and by whom. */
    record StoredEvent(long sequence, Object payload, Instant at, Actor by) {
    }

    /** Every event of a stream in order, up to and including {@code upTo} (null: all of them). */
    List<StoredEvent> stream(StreamId stream, Instant upTo);

    /** The first event of a stream, if it has one. */
    Optional<StoredEvent> first(StreamId stream);

    /** Every principal with an access stream: anyone ever granted something or given a token. */
    List<Actor> principals();

    /** The schema a dataset was registered with, as the Dataset aggregate knows it now. */
    Optional<DatasetSchema> schema(DatasetName dataset);

    /** Where a dataset's batch is stored and the digest it must have, as the Dataset aggregate knows it now. */
    Optional<BatchInput> batch(BatchRef batch);

    /** Notes that an API token was used at an instant (kept beside the log, not in it). */
    void tokenUsed(ApiTokenId token, Instant at);

    /** When each of these tokens was last noted as used; tokens never used are left out. */
    Map<ApiTokenId, Instant> tokensLastUsed(Collection<ApiTokenId> tokens);

    /**
     * Calls {@code listener} when this process stores a change of a principal's access. Only a process that stores
     * events calls it; elsewhere a change is seen when a kept answer expires or its sender forgets it.
     */
    default void onAccessChanged(Consumer<Actor> listener) {
    }
}
