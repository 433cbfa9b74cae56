package io.annals.command.api.pipeline;

import io.annals.command.api.trainingrun.BatchRef;
import java.time.Instant;
import java.util.Objects;

/**
 * Why a pipeline runs: a person asked ({@code MANUAL}, with a note), a batch was ingested into an input partition
 * ({@code NEW_BATCH}), an input partition was re-pointed at another batch ({@code REPOINT}), or its schedule ticked
 * ({@code SCHEDULE}, at {@code tick}; the note says how many ticks were missed before it). {@code event} is the id of
 * the event that caused it, so that the same event delivered twice triggers once. Who caused it is the actor of the
 * event that records the trigger.
 */
public record PipelineCause(Kind kind, BatchRef batch, String partition, String note, String event, Instant tick) {

    public enum Kind { MANUAL, NEW_BATCH, REPOINT, SCHEDULE }

    /** A person's trigger, or a batch's. */
    public PipelineCause(Kind kind, BatchRef batch, String partition, String note, String event) {
        this(kind, batch, partition, note, event, null);
    }

    public PipelineCause {
        Objects.requireNonNull(kind, "a cause needs a kind");
        if (kind == Kind.SCHEDULE && tick == null) {
            throw new IllegalArgumentException("a schedule's cause names its tick");
        }
        if ((kind == Kind.NEW_BATCH || kind == Kind.REPOINT) && (batch == null || partition == null || event == null)) {
            throw new IllegalArgumentException("a " + kind + " cause names its batch, partition and event");
        }
    }

    public static PipelineCause manual(String note) {
        return new PipelineCause(Kind.MANUAL, null, null, note, null);
    }

    /** The schedule's tick at {@code tick}, after {@code missed} ticks that fell while nothing ran them. */
    public static PipelineCause tick(Instant tick, long missed) {
        return new PipelineCause(Kind.SCHEDULE, null, null, missed == 0 ? null : missed + " earlier tick"
                + (missed == 1 ? "" : "s") + " missed", "tick:" + tick, tick);
    }
}
