package io.annals.app.security;

import io.annals.app.records.CommandRecords;
import io.annals.command.api.access.AccessState;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.StreamId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each principal's access, folded from its stream in the event store ({@code access:<principal>}, read through
 * {@link CommandRecords}): the record, not a projection of it, so a grant is in force as soon as its command returns.
 * Answers are kept in memory for a short while; a change stored by this process drops the kept answer at once (and
 * again after its transaction commits), a change this process sent elsewhere is forgotten by its sender
 * ({@link #forget}), and a change from another process is seen when the kept answer expires. When the record cannot
 * be read at all (no command process answers), an answer read less than {@code staleIfUnavailable} ago is used rather
 * than refusing every request, and the log says so (at most every 30 s).
 */
public final class AccessDirectory {

    private static final int MAX_KEPT = 10_000;

    private record Kept(AccessState state, long readAtNanos) {
    }

    private static final Logger log = LoggerFactory.getLogger(AccessDirectory.class);
    private static final long WARN_EVERY_NANOS = Duration.ofSeconds(30).toNanos();

    private final CommandRecords records;
    private final long ttlNanos;
    private final long staleNanos;
    private final Map<Actor, Kept> kept = new ConcurrentHashMap<>();
    private final AtomicLong warnedAt = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    public AccessDirectory(CommandRecords records, Duration ttl, Duration staleIfUnavailable) {
        this.records = records;
        this.ttlNanos = ttl.toNanos();
        this.staleNanos = staleIfUnavailable.toNanos();
        records.onAccessChanged(this::forget);
    }

    /** What the principal may do now. */
    public AccessState current(Actor principal) {
        long now = System.nanoTime();
        Kept k = kept.get(principal);
        if (k != null && now - k.readAtNanos() < ttlNanos) {
            return k.state();
        }
        AccessState state;
        try {
            state = fold(principal, null);
        } catch (DomainException e) {
            if (e.code() != DomainException.Code.UNAVAILABLE || k == null || now - k.readAtNanos() >= staleNanos) {
                throw e;
            }
            long last = warnedAt.get();
            if (now - last >= WARN_EVERY_NANOS && warnedAt.compareAndSet(last, now)) {
                log.warn("Access cannot be read from the record ({}); answering from what was read before, for at most "
                        + "{} s after it was read", e.getMessage(), staleNanos / 1_000_000_000L);
            }
            return k.state();
        }
        if (kept.size() >= MAX_KEPT) {
            kept.clear();
        }
        kept.put(principal, new Kept(state, now));
        return state;
    }

    /** Drops the kept answer for a principal whose access has just changed. */
    public void forget(Actor principal) {
        kept.remove(principal);
    }

    /** Every principal with an access stream: anyone ever granted something or given a token. */
    public List<Actor> principalsOnRecord() {
        return records.principals();
    }

    /** What the principal could do at an instant, from the events stored up to it. */
    public AccessState asOf(Actor principal, Instant asOf) {
        return fold(principal, asOf);
    }

    private AccessState fold(Actor principal, Instant asOf) {
        AccessState state = AccessState.empty(principal);
        for (CommandRecords.StoredEvent event : records.stream(StreamId.of(principal), asOf)) {
            state = state.apply(event.payload(), event.at(), event.by());
        }
        return state;
    }
}
