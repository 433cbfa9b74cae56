package io.annals.app.security;

import io.annals.command.api.access.AccessState;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.EntityKind;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.common.StreamId;
import io.annals.infra.clients.SchemaLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Each principal's access, folded from its stream in the event store ({@code access:<principal>}): the record, not a
 * projection of it, so a grant is in force as soon as its command returns. Answers are kept in memory for a short
 * while; a change stored by this process drops the kept answer at once (and again after its transaction commits),
 * a change stored by another process is seen when the kept answer expires.
 */
public final class AccessDirectory {

    private static final int MAX_KEPT = 10_000;

    private record Kept(AccessState state, long readAtNanos) {
    }

    private final EventStore events;
    private final JdbcTemplate jdbc;
    private final long ttlNanos;
    private final Map<Actor, Kept> kept = new ConcurrentHashMap<>();

    public AccessDirectory(EventStore events, JdbcTemplate jdbc, Duration ttl) {
        this.events = events;
        this.jdbc = jdbc;
        this.ttlNanos = ttl.toNanos();
        createPrincipalIndex(jdbc.getDataSource());
        events.subscribe(this::onStored);
    }

    /**
     * The principals with an access stream, kept in a table beside the event store and written in the transaction
     * that stores their first event, so audit questions over all principals do not scan the event table. Filled
     * from the event table once, when the table is first created on a store that has events.
     */
    static void createPrincipalIndex(DataSource dataSource) {
        SchemaLock.inTransaction(dataSource, connection -> {
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

    /** What the principal may do now. */
    public AccessState current(Actor principal) {
        long now = System.nanoTime();
        Kept k = kept.get(principal);
        if (k != null && now - k.readAtNanos() < ttlNanos) {
            return k.state();
        }
        AccessState state = fold(principal, null);
        if (kept.size() >= MAX_KEPT) {
            kept.clear();
        }
        kept.put(principal, new Kept(state, now));
        return state;
    }

    /** Every principal with an access stream: anyone ever granted something or given a token. */
    public List<Actor> principalsOnRecord() {
        return jdbc.queryForList("select principal from annals_principals order by principal", String.class).stream()
                .map(Actor::of).toList();
    }

    /** What the principal could do at an instant, from the events stored up to it. */
    public AccessState asOf(Actor principal, Instant asOf) {
        return fold(principal, asOf);
    }

    private AccessState fold(Actor principal, Instant asOf) {
        AccessState state = AccessState.empty(principal);
        DomainEventStream stream = events.readEvents(StreamId.of(principal).toString());
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            if (asOf != null && event.getTimestamp().isAfter(asOf)) {
                break;
            }
            Object by = event.getMetaData().get(MetadataKeys.ACTOR);
            state = state.apply(event.getPayload(), event.getTimestamp(), by == null ? null : Actor.of(by.toString()));
        }
        return state;
    }

    private void onStored(List<? extends EventMessage<?>> stored) {
        for (EventMessage<?> event : stored) {
            if (event instanceof DomainEventMessage<?> domain
                    && domain.getAggregateIdentifier().startsWith(EntityKind.ACCESS.prefix() + ":")) {
                Actor principal = Actor.of(StreamId.parse(domain.getAggregateIdentifier()).name());
                if (domain.getSequenceNumber() == 0) {
                    jdbc.update("insert into annals_principals (principal) values (?) on conflict do nothing",
                            principal.value());
                }
                kept.remove(principal);
                if (CurrentUnitOfWork.isStarted()) {
                    CurrentUnitOfWork.get().afterCommit(u -> kept.remove(principal));
                }
            }
        }
    }
}
