package io.annals.app.records;

import io.annals.command.api.access.ApiTokenId;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.EntityKind;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.domain.dataset.DatasetCatalog;
import io.annals.infra.clients.SchemaLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The record read where it is kept: the event store, the Dataset aggregate, and two tables beside the event store
 * (the principals with an access stream, and when each API token was last used). Used by processes with the command
 * role, for themselves and, through {@code /internal/records}, for the others.
 */
public final class LocalRecords implements CommandRecords {

    private final EventStore events;
    private final JdbcTemplate jdbc;
    private final DatasetCatalog datasets;
    private final List<Consumer<Actor>> accessListeners = new CopyOnWriteArrayList<>();

    public LocalRecords(EventStore events, JdbcTemplate jdbc, DatasetCatalog datasets) {
        this.events = events;
        this.jdbc = jdbc;
        this.datasets = datasets;
        createTables(jdbc.getDataSource());
        events.subscribe(this::onStored);
    }

    /**
     * The principals with an access stream, kept in a table beside the event store and written in the transaction
     * that stores their first event, so audit questions over all principals do not scan the event table (filled from
     * the event table once, when the table is first created on a store that has events); and the token usage table.
     */
    public static void createTables(DataSource dataSource) {
        SchemaLock.inTransaction(dataSource, connection -> {
            try (Statement create = connection.createStatement()) {
                create.execute("create table if not exists annals_api_token_usage ("
                        + "token_id varchar(16) primary key, last_used_at timestamptz not null)");
            }
            if (exists(connection, "annals_principals")) {
                return;
            }
            try (Statement create = connection.createStatement()) {
                create.execute("create table annals_principals (principal varchar(255) primary key)");
            }
            if (exists(connection, "domainevententry")) {
                try (PreparedStatement fill = connection.prepareStatement("insert into annals_principals "
                        + "select distinct substr(aggregateidentifier, ?) from domainevententry "
                        + "where aggregateidentifier like ? on conflict do nothing")) {
                    fill.setInt(1, EntityKind.ACCESS.prefix().length() + 2);
                    fill.setString(2, EntityKind.ACCESS.prefix() + ":%");
                    fill.executeUpdate();
                }
            }
        });
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select to_regclass(?) is not null")) {
            query.setString(1, table);
            try (ResultSet result = query.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    @Override
    public List<StoredEvent> stream(StreamId stream, Instant upTo) {
        return page(stream, 0, upTo, Integer.MAX_VALUE);
    }

    @Override
    public Optional<StoredEvent> first(StreamId stream) {
        return page(stream, 0, null, 1).stream().findFirst();
    }

    /** At most {@code limit} events of a stream from a sequence number on, up to and including {@code upTo}. */
    public List<StoredEvent> page(StreamId stream, long fromSequence, Instant upTo, int limit) {
        List<StoredEvent> found = new ArrayList<>();
        DomainEventStream read = events.readEvents(stream.toString(), fromSequence);
        while (found.size() < limit && read.hasNext()) {
            DomainEventMessage<?> event = read.next();
            if (upTo != null && event.getTimestamp().isAfter(upTo)) {
                break;
            }
            Object by = event.getMetaData().get(MetadataKeys.ACTOR);
            found.add(new StoredEvent(event.getSequenceNumber(), event.getPayload(), event.getTimestamp(),
                    by == null ? null : Actor.of(by.toString())));
        }
        return found;
    }

    @Override
    public List<Actor> principals() {
        return jdbc.queryForList("select principal from annals_principals order by principal", String.class).stream()
                .map(Actor::of).toList();
    }

    @Override
    public Optional<DatasetSchema> schema(DatasetName dataset) {
        return inUnitOfWork(() -> datasets.schema(dataset));
    }

    @Override
    public Optional<BatchInput> batch(BatchRef batch) {
        return inUnitOfWork(() -> datasets.batch(batch));
    }

    /** The aggregate is loaded through its repository, which wants a unit of work. */
    private static <T> T inUnitOfWork(Supplier<T> read) {
        return DefaultUnitOfWork.startAndGet(null).executeWithResult(read::get).getPayload();
    }

    @Override
    public void tokenUsed(ApiTokenId token, Instant at) {
        jdbc.update("insert into annals_api_token_usage (token_id, last_used_at) values (?, ?) "
                + "on conflict (token_id) do update set last_used_at = greatest("
                + "annals_api_token_usage.last_used_at, excluded.last_used_at)", token.value(), Timestamp.from(at));
    }

    @Override
    public Map<ApiTokenId, Instant> tokensLastUsed(Collection<ApiTokenId> tokens) {
        Map<ApiTokenId, Instant> found = new HashMap<>();
        if (tokens.isEmpty()) {
            return found;
        }
        String marks = String.join(",", tokens.stream().map(t -> "?").toList());
        jdbc.query("select token_id, last_used_at from annals_api_token_usage where token_id in (" + marks + ")",
                rs -> {
                    found.put(ApiTokenId.of(rs.getString(1)), rs.getTimestamp(2).toInstant());
                }, tokens.stream().map(ApiTokenId::value).toArray());
        return found;
    }

    @Override
    public void onAccessChanged(Consumer<Actor> listener) {
        accessListeners.add(listener);
    }

    /** A principal's first event enters the principals table in its own transaction; listeners hear of every change. */
    private void onStored(List<? extends EventMessage<?>> stored) {
        for (EventMessage<?> event : stored) {
            if (event instanceof DomainEventMessage<?> domain
                    && domain.getAggregateIdentifier().startsWith(EntityKind.ACCESS.prefix() + ":")) {
                Actor principal = Actor.of(StreamId.parse(domain.getAggregateIdentifier()).name());
                if (domain.getSequenceNumber() == 0) {
                    jdbc.update("insert into annals_principals (principal) values (?) on conflict do nothing",
                            principal.value());
                }
                accessListeners.forEach(l -> l.accept(principal));
                if (CurrentUnitOfWork.isStarted()) {
                    CurrentUnitOfWork.get().afterCommit(u -> accessListeners.forEach(l -> l.accept(principal)));
                }
            }
        }
    }
}
