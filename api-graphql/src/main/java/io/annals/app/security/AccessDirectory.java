package io.annals.app.security;

import io.annals.command.api.access.AccessState;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.EntityKind;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.common.StreamId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
        events.subscribe(this::onStored);
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

    /**
     * Every principal with an access stream: anyone ever granted something or given a token. One query over the
     * event store's stream ids, for audit questions ("who could deploy to prod last Tuesday"), not for requests.
     */
    public List<Actor> principalsOnRecord() {
        return jdbc.queryForList("select distinct aggregateidentifier from domainevententry "
                        + "where aggregateidentifier like ? order by 1", String.class,
                        EntityKind.ACCESS.prefix() + ":%").stream()
                .map(id -> Actor.of(StreamId.parse(id).name())).toList();
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
                kept.remove(principal);
                if (CurrentUnitOfWork.isStarted()) {
                    CurrentUnitOfWork.get().afterCommit(u -> kept.remove(principal));
                }
            }
        }
    }
}
